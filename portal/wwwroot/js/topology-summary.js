// The summary's layout, computed in one pass instead of by a force layout: the owner groups on an
// inner ellipse (they all call each other, so their edges cross the empty middle instead of hiding
// under a clump of nodes), and the services shown on their own on an outer ellipse, each next to the
// group it exchanges the most traffic with. Deterministic, so a reload draws the same picture.
const gap = 18;
const ringGap = 50;

// Radii of an ellipse (about twice as wide as high, like the graph's box) whose evenly spread nodes
// do not touch: at the sides neighbours stack vertically, at the top and bottom side by side.
function ellipse(nodes, inner) {
  const step = 2 * Math.PI / Math.max(nodes.length, 1);
  const w = Math.max(0, ...nodes.map(n => n.data('w')));
  const h = Math.max(0, ...nodes.map(n => n.data('h')));
  const rx = Math.max((w + gap) / step, inner ? inner.rx + inner.w / 2 + w / 2 + ringGap : 0, nodes.length > 1 ? 2 * w : 0);
  const ry = Math.max((h + gap) / step, inner ? inner.ry + inner.h / 2 + h / 2 + ringGap : 0, rx / 2.2);
  return { rx, ry, w, h, step };
}

const byId = (a, b) => a.id().localeCompare(b.id(), undefined, { numeric: true });

export function summaryPositions(cy) {
  const positions = {};
  const groups = cy.nodes('.group').sort(byId);
  const inner = ellipse(groups.toArray());
  const angleOf = {};
  // From the top, clockwise, so team-01 sits at twelve o'clock.
  groups.forEach((node, i) => {
    const angle = -Math.PI / 2 + i * inner.step;
    angleOf[node.id()] = angle;
    positions[node.id()] = { x: inner.rx * Math.cos(angle), y: inner.ry * Math.sin(angle) };
  });

  const anchored = cy.nodes().not('.group').map(node => {
    let best = null;
    node.connectedEdges().forEach(edge => {
      const other = edge.source().same(node) ? edge.target() : edge.source();
      if (other.hasClass('group') && (!best || edge.data('width') > best.data('width'))) best = edge;
    });
    const group = best && (best.source().same(node) ? best.target() : best.source());
    return { node, angle: group ? angleOf[group.id()] : Math.PI };
  });
  anchored.sort((a, b) => a.angle - b.angle || byId(a.node, b.node));
  const outer = ellipse(anchored.map(a => a.node), inner);
  // The outer ring starts where its first service's group is, so services sit beside their groups.
  const start = anchored.length > 0 ? anchored[0].angle : 0;
  anchored.forEach(({ node }, i) => {
    const angle = start + i * outer.step;
    positions[node.id()] = { x: outer.rx * Math.cos(angle), y: outer.ry * Math.sin(angle) };
  });
  return positions;
}
