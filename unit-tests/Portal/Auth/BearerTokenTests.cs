using MeshPortal.Portal.Auth;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.UnitTests.Portal.Auth;

public sealed class BearerTokenTests
{
    [Fact]
    public void From_AuthorizationHeader_Token()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer  gw-secret ";

        Assert.Equal("gw-secret", BearerToken.From(context.Request));
    }

    [Fact]
    public void From_TokenOnlyInQueryString_None()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?access_token=gw-secret");

        Assert.Null(BearerToken.From(context.Request));
    }
}
