namespace MeshPortal.Gateway.Retries;

/// <summary>
/// Bounds the load retries add to a route: each request earns <see cref="Percent"/> hundredths of a
/// retry and each retry spends a whole one, so over any stretch retries stay below
/// <see cref="Percent"/> % of the requests plus <see cref="Reserve"/>.
/// </summary>
/// <remarks>
/// The balance is capped at the reserve, so a long healthy spell does not save up a retry storm for
/// the next outage; it starts full, so the first failures of a quiet route can still be retried.
/// A request costs one interlocked add while the balance is below the cap and a plain read once it is full.
/// </remarks>
internal sealed class RetryBudget
{
    /// <summary>Retries available before any request has earned one, and the most ever saved up.</summary>
    public const int Reserve = 10;

    private const long RetryCost = 100;

    private readonly long _cap;
    private long _balance;

    public RetryBudget(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        Percent = percent;
        _cap = percent > 0 ? Reserve * RetryCost : 0;
        _balance = _cap;
    }

    public int Percent { get; }

    /// <summary>Called once per request of the route, retried or not.</summary>
    public void Deposit()
    {
        if (Volatile.Read(ref _balance) < _cap)
        {
            Interlocked.Add(ref _balance, Percent);
        }
    }

    /// <summary>Spends one retry; false when the budget has none left.</summary>
    public bool TryWithdraw()
    {
        var balance = Volatile.Read(ref _balance);
        while (balance >= RetryCost)
        {
            var seen = Interlocked.CompareExchange(ref _balance, balance - RetryCost, balance);
            if (seen == balance)
            {
                return true;
            }

            balance = seen;
        }

        return false;
    }
}
