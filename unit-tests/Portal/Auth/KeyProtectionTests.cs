using System.Security.Cryptography;
using System.Xml.Linq;
using MeshPortal.Portal.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.UnitTests.Portal.Auth;

public sealed class KeyProtectionTests
{
    [Fact]
    public void AesGcmXmlEncryptor_Element_RoundTripsAndHidesTheSecret()
    {
        var key = new KeyEncryptionKey(RandomNumberGenerator.GetBytes(32));
        var element = new XElement("masterKey", new XElement("value", "c2VjcmV0"));

        var encrypted = new AesGcmXmlEncryptor(key).Encrypt(element);

        Assert.DoesNotContain("c2VjcmV0", encrypted.EncryptedElement.ToString());
        Assert.Equal(typeof(AesGcmXmlDecryptor), encrypted.DecryptorType);
        var services = new ServiceCollection().AddSingleton(key).BuildServiceProvider();
        Assert.Equal(element.ToString(), new AesGcmXmlDecryptor(services).Decrypt(encrypted.EncryptedElement).ToString());
    }
}
