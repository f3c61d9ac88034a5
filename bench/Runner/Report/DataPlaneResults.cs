using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;

namespace MeshPortal.Bench.Runner.Report;

/// <summary>The data-plane figures of one run and what is derived from them: ratios and added latency.</summary>
internal sealed record DataPlaneResults(IReadOnlyList<DataPlaneFigure> Figures)
{
    public DataPlaneFigure Figure(string name) => Figures.Single(f => f.Name == name);

    public double GatewayPerNginx => Ratio(Targets.Gateway, Targets.Nginx);

    public double GatewayPerYarp => Ratio(Targets.Gateway, Targets.PlainYarp);

    /// <summary>
    /// The median of the per-round ratios: two targets measured seconds apart in one round share the
    /// machine's state, so their ratio drifts far less than either rate does from round to round.
    /// </summary>
    public double Ratio(string name, string peer) => Stats.Median(RoundRatios(name, peer));

    public IReadOnlyList<double> RoundRatios(string name, string peer) =>
        [.. Figure(name).RoundRequestsPerSecond.Zip(Figure(peer).RoundRequestsPerSecond, (a, b) => a / b)];

    /// <summary>
    /// What a proxy adds at the fixed rate: its latency minus direct's in the same round, at one
    /// percentile, the median over the rounds.
    /// </summary>
    public double AddedMs(string name, Func<FixedRateResult, double> percentile) =>
        Stats.Median(Figure(name).FixedRateRounds.Zip(Figure(Targets.Direct).FixedRateRounds, (t, d) => percentile(t) - percentile(d)));
}
