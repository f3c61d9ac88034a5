namespace MeshPortal.Gateway.Retries;

/// <summary>
/// The retry state of one request, shared by <see cref="RetryMiddleware"/> and the response transform
/// that holds back a retryable response before its body is sent.
/// </summary>
internal sealed class RetryAttempt(RouteRetries retries, CancellationToken requestAborted)
{
    public RouteRetries Retries { get; } = retries;

    public int RetriesLeft { get; set; } = retries.Attempts;

    /// <summary>True when this attempt's response was held back to be retried; the budget is already spent.</summary>
    public bool Claimed { get; set; }

    /// <summary>The per-try timeout of the attempt under way, if the route has one.</summary>
    public CancellationTokenSource? PerTry { get; set; }

    /// <summary>The attempt ran out of its own time while the request itself still had some.</summary>
    public bool PerTryTimedOut => PerTry is { IsCancellationRequested: true } && !requestAborted.IsCancellationRequested;

    /// <summary>Takes a retry when <paramref name="wanted"/>, one is left and the budget allows it.</summary>
    public bool TryTakeRetry(bool wanted)
    {
        if (!wanted || RetriesLeft == 0)
        {
            return false;
        }

        if (!Retries.Budget.TryWithdraw())
        {
            Retries.Counters.RetryRefusedByBudget();
            return false;
        }

        return true;
    }

    /// <summary>Called with a backend's status before its body is copied: true to drop the body and retry.</summary>
    public bool TryClaim(int status) => Claimed = TryTakeRetry(Retries.RetriesOn(status));
}
