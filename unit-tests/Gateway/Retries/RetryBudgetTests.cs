using MeshPortal.Gateway.Retries;

namespace MeshPortal.UnitTests.Gateway.Retries;

public sealed class RetryBudgetTests
{
    [Fact]
    public void TryWithdraw_Fresh_ReserveAvailable()
    {
        var budget = new RetryBudget(20);

        Assert.Equal(RetryBudget.Reserve, Enumerable.Range(0, 100).Count(_ => budget.TryWithdraw()));
    }

    [Fact]
    public void TryWithdraw_EveryRequestFails_RetriesAtMostPercentOfRequestsPlusReserve()
    {
        var budget = new RetryBudget(20);
        var retries = 0;

        for (var request = 0; request < 10_000; request++)
        {
            budget.Deposit();
            retries += budget.TryWithdraw() ? 1 : 0;
        }

        Assert.InRange(retries, 2_000, 2_000 + RetryBudget.Reserve);
    }

    [Fact]
    public void Deposit_LongHealthySpell_SavesNoMoreThanTheReserve()
    {
        var budget = new RetryBudget(20);
        for (var request = 0; request < 100_000; request++)
        {
            budget.Deposit();
        }

        Assert.Equal(RetryBudget.Reserve, Enumerable.Range(0, 100).Count(_ => budget.TryWithdraw()));
    }

    [Fact]
    public void TryWithdraw_ZeroPercent_NeverRetries()
    {
        var budget = new RetryBudget(0);
        for (var request = 0; request < 1000; request++)
        {
            budget.Deposit();
        }

        Assert.False(budget.TryWithdraw());
    }
}
