// The summary's layout, computed in one pass instead of by a force layout: the owner groups on an
// inner ellipse (they all call each other, so their edges cross the empty middle instead of hiding
// under a clump of nodes), and the services shown on their own on an outer ellipse, each next to the
// group it exchanges the most traffic with. Deterministic, so a reload draws the same picture.
// Works on the element data before cytoscape has it, so the nodes are added already in place.
const gap = 18;
const ringGap = 50;

// Radii of an ellipse (about twice as wide as high, like the graph's box) whose evenly spread nodes
// do not touch: at the sides neighbours stack vertically, at the top and bottom side by side.
function ellipse(nodes, inner) {
  const step = 2 * Math.PI / Math.max(nodes.length, 1);
  const w = Math.max(0, ...nodes.map(n => n.w));
  const h = Math.max(0, ...nodes.map(n => n.h));
  const rx = Math.max((w + gap) / step, inner ? inner.rx + inner.w / 2 + w / 2 + ringGap : 0, nodes.length > 1 ? 2 * w : 0);
  const ry = Math.max((h + gap) / step, inner ? inner.ry + inner.h / 2 + h / 2 + ringGap : 0, rx / 2.2);
  return { rx, ry, w, h, step };
}

const byId = (a, b) => a.id.localeCompare(b.id, undefined, { numeric: true });

// nodes: cytoscape node data ({ id, w, h }) with isGroup; edges: edge data ({ source, target, width }).
// Returns each node's position by id.
export function summaryPositions(nodes, edges) {
  const positions = {};
  const groups = nodes.filter(n => n.isGroup).sort(byId);
  const inner = ellipse(groups);
  const angleOf = {};
  // From the top, clockwise, so the first group sits at twelve o'clock.
  groups.forEach((node, i) => {
    const angle = -Math.PI / 2 + i * inner.step;
    angleOf[node.id] = angle;
    positions[node.id] = { x: inner.rx * Math.cos(angle), y: inner.ry * Math.sin(angle) };
  });

  const busiest = {};
  for (const e of edges) {
    for (const [self, other] of [[e.source, e.target], [e.target, e.source]]) {
      if (other in angleOf && !(self in angleOf) && (!busiest[self] || e.width > busiest[self].width)) busiest[self] = { width: e.width, group: other };
    }
  }
  const services = nodes.filter(n => !n.isGroup).map(node => ({ node, angle: busiest[node.id] ? angleOf[busiest[node.id].group] : Math.PI }));
  services.sort((a, b) => a.angle - b.angle || byId(a.node, b.node));
  const outer = ellipse(services.map(s => s.node), inner);
  // The outer ring starts at its first service's group, so services sit beside their groups.
  const start = services.length > 0 ? services[0].angle : 0;
  services.forEach(({ node }, i) => {
    const angle = start + i * outer.step;
    positions[node.id] = { x: outer.rx * Math.cos(angle), y: outer.ry * Math.sin(angle) };
  });
  return positions;
}

// The zoom and pan that fit the placed nodes in a box of width × height, as cy.fit would, without
// measuring any element: each node's size is already in its data.
export function fitted(nodes, positions, width, height, padding, minZoom, maxZoom) {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const n of nodes) {
    const p = positions[n.id];
    x1 = Math.min(x1, p.x - n.w / 2);
    x2 = Math.max(x2, p.x + n.w / 2);
    y1 = Math.min(y1, p.y - n.h / 2);
    y2 = Math.max(y2, p.y + n.h / 2);
  }
  const zoom = Math.min(maxZoom, Math.max(minZoom, Math.min((width - 2 * padding) / (x2 - x1), (height - 2 * padding) / (y2 - y1))));
  return { zoom, pan: { x: (width - zoom * (x1 + x2)) / 2, y: (height - zoom * (y1 + y2)) / 2 } };
}
