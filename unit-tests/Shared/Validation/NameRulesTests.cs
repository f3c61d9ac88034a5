using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("n1", true)]
    [InlineData("ip-10-0-1-2.ec2.internal", true)]
    [InlineData("gke-pool-1-abc.europe-west1-b.c.project.internal", true)]
    [InlineData("1.2.3.4", true)]
    [InlineData("N1", false)]
    [InlineData("a..b", false)]
    [InlineData(".n1", false)]
    [InlineData("n1.", false)]
    [InlineData("-n1.internal", false)]
    [InlineData("n1-.internal", false)]
    [InlineData("n_1.internal", false)]
    [InlineData("n1 .internal", false)]
    [InlineData("n1.internal\n", false)]
    [InlineData("", false)]
    public void IsNodeName_KubernetesNodeNames(string name, bool valid) =>
        Assert.Equal(valid, NameRules.IsNodeName(name));

    [Fact]
    public void IsNodeName_LabelOf63_AcceptedOf64_Refused()
    {
        Assert.True(NameRules.IsNodeName($"{new string('a', 63)}.internal"));
        Assert.False(NameRules.IsNodeName($"{new string('a', 64)}.internal"));
    }

    [Fact]
    public void IsNodeName_253Characters_AcceptedOneMore_Refused()
    {
        // Four labels of 63 and the dots between them: 255 characters; trimmed to the limit and one past it.
        var longest = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..NameRules.MaxNodeNameLength];
        Assert.True(NameRules.IsNodeName(longest));
        Assert.False(NameRules.IsNodeName(longest + "a"));
    }

    [Fact]
    public void IsNodeName_Null_Refused() => Assert.False(NameRules.IsNodeName(null));
}
