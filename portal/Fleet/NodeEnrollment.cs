using MeshPortal.Portal.Auth;
using MeshPortal.Shared.Validation;

namespace MeshPortal.Portal.Fleet;

/// <summary>
/// Exchanges a cluster join token for a node's own gateway token, so an autoscaled node's gateway
/// joins without a person. The join token is checked by <see cref="JoinTokenAuthenticationHandler"/>;
/// here the node is validated and one use of the join token is spent in the same transaction that
/// mints the node's token.
/// </summary>
public sealed partial class NodeEnrollment(AccountStore accounts, AccountHistory history, FleetConnections connections, ILogger<NodeEnrollment> logger)
{
    /// <summary>
    /// A node that enrolls again lost its state directory (a replaced machine that got the same
    /// name, as EKS does with IP-based names, or a wiped disk): the old token cannot be in use by a
    /// gateway that still has it, so it gets a new token and its old ones are revoked, leaving each
    /// node one credential. The price: whoever holds the join token can take a node's name, which is
    /// why a join token is as secret as the node tokens it mints.
    /// </summary>
    public async Task<(AccountResult Result, Enrollment? Done)> EnrollAsync(string? node, CommandContext context, CancellationToken ct)
    {
        var joinTokenId = context.User.FindFirst(JoinTokenAuthenticationHandler.JoinTokenClaim)?.Value;
        if (joinTokenId is null || !context.User.IsInRole(Roles.Joiner))
        {
            return (new AccountResult.Forbidden("only a join token can enroll a node"), null);
        }

        if (!NameRules.IsNodeName(node))
        {
            return (new AccountResult.Invalid("node", $"'{node}' is not {NameRules.NodeNameRule}"), null);
        }

        var (done, refusal) = await accounts.EnrollAsync(joinTokenId, node!, ct);
        if (done is null)
        {
            return (new AccountResult.Forbidden(refusal!), null);
        }

        await history.NodeEnrolledAsync(done, joinTokenId, context.Metadata, ct);
        foreach (var replaced in done.Replaced)
        {
            // Other replicas end theirs within their token re-check interval.
            connections.Revoke(replaced);
        }

        LogEnrolled(node!, joinTokenId, done.Info.Id, done.Replaced.Count);
        return (AccountResult.Ok, done);
    }

    [LoggerMessage(EventId = 1330, Level = LogLevel.Information,
        Message = "Node '{Node}' enrolled with join token {JoinTokenId}: gateway token {TokenId}, {Replaced} older token(s) revoked")]
    private partial void LogEnrolled(string node, string joinTokenId, string tokenId, int replaced);
}
