namespace MeshPortal.E2ETests.Security;

/// <summary>Who may call each endpoint and open each page: the least role that gets through.</summary>
public static class RoleTable
{
    public const string Anonymous = "anonymous";
    public const string Gateway = "gateway";

    /// <summary>A cluster join token: it may enroll nodes and nothing else, and nothing else may enroll.</summary>
    public const string Joiner = "joiner";
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>A gateway or join token is no user: it ranks with anonymous on every user endpoint.</summary>
    public static int Rank(string role) => role switch
    {
        Anonymous or Gateway or Joiner => 0,
        Viewer => 1,
        Operator => 2,
        Admin => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    public static IReadOnlyDictionary<string, string> Endpoints { get; } = new Dictionary<string, string>
    {
        ["GET /api/revision"] = Viewer,
        ["GET /api/gateways"] = Viewer,
        ["GET /api/mesh-ca"] = Viewer,
        ["GET /api/convergence"] = Viewer,
        ["GET /api/topology"] = Viewer,
        ["GET /api/history"] = Viewer,
        ["GET /api/revisions/{revision}"] = Viewer,
        ["GET /api/diff"] = Viewer,
        ["GET /api/config"] = Viewer,
        ["GET /api/routes"] = Viewer,
        ["GET /api/routes/{id}"] = Viewer,
        ["GET /api/services"] = Viewer,
        ["GET /api/services/{name}"] = Viewer,
        ["POST /api/routes"] = Operator,
        ["PUT /api/routes/{id}"] = Operator,
        ["PUT /api/routes/{id}/split"] = Operator,
        ["PUT /api/routes/{id}/policies"] = Operator,
        ["DELETE /api/routes/{id}"] = Operator,
        ["POST /api/services"] = Operator,
        ["PUT /api/services/{name}"] = Operator,
        ["DELETE /api/services/{name}"] = Operator,
        ["POST /api/services/{name}/instances"] = Operator,
        ["DELETE /api/services/{name}/instances/{id}"] = Operator,
        ["PUT /api/services/{name}/access"] = Operator,
        ["POST /api/rollback"] = Operator,
        ["PUT /api/config"] = Operator,
        ["GET /api/users"] = Admin,
        ["POST /api/users"] = Admin,
        ["POST /api/users/{name}/api-keys"] = Admin,
        ["GET /api/users/{name}/api-keys"] = Admin,
        ["DELETE /api/users/{name}/api-keys/{id}"] = Admin,
        ["DELETE /api/users/{name}"] = Admin,
        ["PUT /api/users/{name}/role"] = Admin,
        // Any signed-in user, for their own password; the account service refuses another's unless
        // an admin asks (AccountLifecycleTests).
        ["PUT /api/users/{name}/password"] = Viewer,
        ["GET /api/gateway-tokens"] = Admin,
        ["POST /api/gateway-tokens"] = Admin,
        ["DELETE /api/gateway-tokens/{id}"] = Admin,
        ["GET /api/gateway-tokens/join"] = Admin,
        ["POST /api/gateway-tokens/join"] = Admin,
        ["POST /api/fleet/enroll"] = Joiner,
        ["POST /logout"] = Viewer,
        ["GET /metrics"] = Viewer,
    };
}
