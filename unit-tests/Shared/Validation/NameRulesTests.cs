namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("n1", true)]
    [InlineData("ip-10-0-1-2.ec2.internal", true)]
    [InlineData("N1", false)]
    [InlineData("a..b", false)]
    [InlineData("", false)]
    public void IsNodeName_KubernetesNodeNames(string name, bool valid) =>
        Assert.Equal(valid, global::MeshPortal.Shared.Validation.NameRules.IsNodeName(name));
}
