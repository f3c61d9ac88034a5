// cytoscape and fcose ship as classic scripts that define globals. They are loaded here, by the one
// page that draws a graph, instead of blocking every page's first paint; all four download in
// parallel (the Topology page also preloads them from <head>) and run in order, as fcose needs.
const scripts = ['cytoscape.min.js', 'layout-base.js', 'cose-base.js', 'cytoscape-fcose.js'];

function load(name) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(`../lib/${name}`, import.meta.url).href;
    script.async = false;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${name} did not load`));
    document.head.append(script);
  });
}

export const graphLibraries = Promise.all(scripts.map(load)).then(() => {
  window.cytoscape.use(window.cytoscapeFcose);
  return window.cytoscape;
});
