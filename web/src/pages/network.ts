// Network: transactions (JSON lines) through POST /v1/network, the ranked clusters, and one
// cluster as an interactive graph (cytoscape: zoom, pan, click a node for its details) with
// the evidence path to the listed party highlighted. Every node is also in a list of buttons,
// so the graph can be explored from the keyboard.
import type { Core, ElementDefinition } from 'cytoscape';
import { errorText, postText } from '../api';
import { badge, clear, facts, field, h, message, pageHeader, rawJson, readFile } from '../dom';

export const title = 'Network';

interface GNode {
  id: string;
  kind: 'entity' | 'listed';
  name: string;
  country?: string | null;
  mission?: boolean;
  hub?: boolean;
  mention_count?: number;
  names?: string[];
  mentions?: { ref: string; role: string }[];
  merges?: { a: string; b: string; attribute: string; value: string; score: number }[];
  source?: string;
  entry?: string;
  regimes?: string;
}
interface GEdge {
  a: string;
  b: string;
  kind: string;
  score: number;
  value?: string;
  attribute?: string;
  matched_name?: string;
}
interface Cluster {
  rank: number;
  score: number;
  size: number;
  path: string;
  path_nodes: string[];
  findings: { kind: string; weight: number; text: string }[];
  transactions: string[];
  nodes: GNode[];
  edges: GEdge[];
}
interface NetAnswer {
  summary: Record<string, unknown>;
  clusters: Cluster[];
}

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'font-family': 'DejaVu Sans, sans-serif',
      color: '#1a1a1a',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': '140px',
      'background-color': '#4a6fa5',
      width: 26,
      height: 26,
      'border-width': 1,
      'border-color': '#22324d',
    },
  },
  { selector: 'node.listed', style: { shape: 'diamond', 'background-color': '#b3261e', width: 32, height: 32, 'border-color': '#5c100c' } },
  { selector: 'node.mission', style: { shape: 'round-rectangle', 'background-color': '#8a5a00' } },
  { selector: 'node.path', style: { 'border-width': 5, 'border-color': '#f2b705' } },
  { selector: 'node:selected', style: { 'overlay-color': '#0b57d0', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
  { selector: 'edge', style: { width: 2, 'line-color': '#9aa4b2', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9, color: '#4d5562', 'text-rotation': 'autorotate', 'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
  { selector: 'edge.listed_match', style: { 'line-color': '#b3261e', 'line-style': 'dashed' } },
  { selector: 'edge.listed_contact', style: { 'line-color': '#c25e00', 'line-style': 'dotted', width: 3 } },
  { selector: 'edge.path', style: { width: 6, 'line-color': '#f2b705' } },
];

function nodeDetails(n: GNode, edges: GEdge[], byId: Map<string, GNode>): HTMLElement {
  const links = edges
    .filter((e) => e.a === n.id || e.b === n.id)
    .map((e) => {
      const other = byId.get(e.a === n.id ? e.b : e.a);
      const how = e.kind === 'transaction' ? `transaction ${e.value}` : e.kind === 'listed_match' ? `matches the list entry (score ${e.score.toFixed(2)})` : `${e.kind.replace(/_/g, ' ')}${e.attribute ? ` on ${e.attribute} ${e.value ?? ''}` : ''}`;
      return h('li', null, other ? other.name : '?', ` - ${how}`);
    });
  return h(
    'div',
    { class: 'node-details', 'data-node': n.id },
    h('h3', { tabindex: -1 }, n.name),
    n.kind === 'listed'
      ? facts([
          ['Kind', badge('listed party', 'sev-block')],
          ['List entry', h('a', { href: `/ui/search?name=${encodeURIComponent(n.name)}`, 'data-link': true }, n.entry ?? '')],
          ['Source', n.source ?? ''],
          ['Regimes', n.regimes ?? ''],
        ])
      : facts([
          ['Kind', n.mission ? 'diplomatic mission' : n.hub ? 'hub (many counterparties)' : 'party in the transactions'],
          ['Country', n.country ?? ''],
          ['Names seen', (n.names ?? []).join('; ')],
          ['Mentions', (n.mentions ?? []).map((m) => `${m.ref} (${m.role})`).join(', ')],
          ['Merged because', (n.merges ?? []).map((m) => `${m.attribute} ${m.value} (${m.score.toFixed(2)})`).join('; ')],
        ]),
    links.length ? [h('h4', null, 'Connections'), h('ul', null, links)] : null,
  );
}

/** Fits the cluster in view, but a small cluster is not blown up past readable labels. */
function fitGraph(cy: Core): void {
  cy.fit(undefined, 50);
  if (cy.zoom() > 1.1) {
    cy.zoom(1.1);
    cy.center();
  }
}

async function drawCluster(c: Cluster, graphEl: HTMLElement, nodeList: HTMLElement, detail: HTMLElement, info: HTMLElement): Promise<void> {
  const { default: cytoscape } = await import('cytoscape');
  const onPath = new Set(c.path_nodes);
  const pathEdge = (e: GEdge) => {
    const i = c.path_nodes.indexOf(e.a);
    const j = c.path_nodes.indexOf(e.b);
    return i >= 0 && j >= 0 && Math.abs(i - j) === 1;
  };
  const byId = new Map(c.nodes.map((n) => [n.id, n]));
  // Deterministic start positions on a circle; the force layout refines them.
  const els: ElementDefinition[] = c.nodes.map((n, i) => ({
    data: { id: n.id, label: n.name },
    classes: [n.kind, n.mission ? 'mission' : '', onPath.has(n.id) ? 'path' : ''].join(' ').trim(),
    position: { x: 200 * Math.cos((2 * Math.PI * i) / c.nodes.length), y: 200 * Math.sin((2 * Math.PI * i) / c.nodes.length) },
  }));
  c.edges.forEach((e, i) =>
    els.push({
      data: { id: `e${i}`, source: e.a, target: e.b, label: e.kind === 'transaction' ? (e.value ?? '') : e.kind.replace(/_/g, ' ') },
      classes: [e.kind, pathEdge(e) ? 'path' : ''].join(' ').trim(),
    }),
  );
  const old = (graphEl as any).__cy as Core | undefined;
  old?.destroy();
  const cy = cytoscape({
    container: graphEl,
    elements: els,
    style: STYLE as any,
    layout: { name: 'cose', randomize: false, animate: false, nodeRepulsion: () => 120000, idealEdgeLength: () => 90, nodeOverlap: 40, gravity: 0.6, padding: 50 } as any,
    minZoom: 0.2,
    maxZoom: 4,
    wheelSensitivity: 0.3,
  });
  (graphEl as any).__cy = cy; // for the browser tests: where each node is drawn
  fitGraph(cy);
  const select = (id: string) => {
    const n = byId.get(id);
    if (!n) return;
    cy.$(':selected').unselect();
    cy.getElementById(id).select();
    clear(detail, nodeDetails(n, c.edges, byId));
    nodeList.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.node === id)));
  };
  cy.on('tap', 'node', (ev) => select(ev.target.id()));
  clear(
    nodeList,
    h('h3', null, 'Nodes'),
    h(
      'ul',
      { class: 'plain node-buttons' },
      c.nodes.map((n) =>
        h(
          'li',
          null,
          h('button', { type: 'button', class: `secondary small ${onPath.has(n.id) ? 'on-path' : ''}`, 'data-node': n.id, 'aria-pressed': 'false', onclick: () => select(n.id) }, n.kind === 'listed' ? `${n.name} (listed)` : n.name),
        ),
      ),
    ),
  );
  clear(
    info,
    h('p', { class: 'path-text' }, h('strong', null, 'Evidence path: '), c.path || 'none'),
    h('h3', null, 'Findings'),
    h('ul', { class: 'findings' }, c.findings.map((f) => h('li', null, badge(f.kind.replace(/_/g, ' ')), ` ${f.text} `, h('span', { class: 'hint' }, `(+${f.weight})`)))),
    h('p', { class: 'hint' }, `Transactions: ${c.transactions.join(', ')}`),
  );
  clear(detail, h('p', { class: 'hint' }, 'Click a node (or choose it in the list) to see its details.'));
}

export function render(main: HTMLElement): void {
  const text = h('textarea', { name: 'transactions', rows: 5, class: 'mono', spellcheck: false, placeholder: 'one transaction per line (JSON lines)' });
  const file = h('input', { type: 'file', name: 'file', id: 'network-file', accept: '.jsonl,.ndjson,.json,.txt' });
  const status = h('div', { 'aria-live': 'polite' });
  const clusters = h('div', { class: 'clusters', id: 'network-clusters' });
  const graph = h('div', { class: 'graph', id: 'network-graph', tabindex: 0, role: 'img', 'aria-label': 'Graph of the selected cluster; use the node list to explore it with the keyboard' });
  const nodeList = h('div', { class: 'node-list' });
  const detail = h('div', { class: 'panel node-panel', id: 'network-node', 'aria-live': 'polite' });
  const info = h('div', { class: 'cluster-info' });
  const zoom = (f: number) => {
    const cy = (graph as any).__cy as Core | undefined;
    if (cy) cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: graph.clientWidth / 2, y: graph.clientHeight / 2 } });
  };
  const controls = h(
    'div',
    { class: 'graph-controls', role: 'group', 'aria-label': 'Zoom' },
    h('button', { type: 'button', class: 'secondary small', onclick: () => zoom(1.25), 'aria-label': 'Zoom in' }, '+'),
    h('button', { type: 'button', class: 'secondary small', onclick: () => zoom(0.8), 'aria-label': 'Zoom out' }, '−'),
    h('button', { type: 'button', class: 'secondary small', onclick: () => { const cy = (graph as any).__cy as Core | undefined; if (cy) fitGraph(cy); } }, 'Fit'),
  );
  const view = h('div', { class: 'network-view', hidden: true }, h('div', { class: 'graph-wrap' }, controls, graph, info), h('div', { class: 'graph-side' }, detail, nodeList));

  const show = (a: NetAnswer, idx: number) => {
    clusters.querySelectorAll('button').forEach((b, i) => b.setAttribute('aria-pressed', String(i === idx)));
    view.hidden = false;
    void drawCluster(a.clusters[idx], graph, nodeList, detail, info);
  };

  const form = h(
    'form',
    { class: 'panel-form', 'aria-label': 'Analyse transactions' },
    h('div', { class: 'row' }, field('Transactions file (JSON lines)', file), field('Or paste them', text)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Find networks')),
    status,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files?.[0];
    const body = f ? await readFile(f) : text.value;
    if (!body.trim()) {
      clear(status, message('Choose a file or paste transactions first.', 'error'));
      return;
    }
    clear(status, message('Resolving entities and screening…'));
    try {
      const a = await postText<NetAnswer>('/v1/network', body, 'application/x-ndjson');
      const flagged = a.clusters.filter((c) => c.score > 0);
      const s = a.summary as Record<string, number>;
      clear(status, message(`${s.transactions} transactions, ${s.entities} parties after resolution, ${a.clusters.length} clusters (${s.flagged_clusters} flagged).`, 'ok'), rawJson('Summary as JSON', a.summary));
      clear(
        clusters,
        h('h2', null, 'Clusters by risk'),
        h(
          'ol',
          { class: 'cluster-list' },
          a.clusters.map((c, i) =>
            h(
              'li',
              null,
              h(
                'button',
                { type: 'button', class: 'cluster', 'aria-pressed': 'false', onclick: () => show(a, i) },
                h('span', { class: 'cluster-score' }, `${c.score.toFixed(0)}`),
                h('span', null, `Cluster ${c.rank}: ${c.size} parties`, c.path ? h('span', { class: 'hint block' }, c.path) : null),
              ),
            ),
          ),
        ),
      );
      if (flagged.length || a.clusters.length) show(a, 0);
    } catch (e) {
      clear(status, message(errorText(e), 'error'));
    }
  });
  main.append(
    pageHeader('Network', 'Resolve the parties of many transactions into entities, find the clusters around listed parties, and follow the evidence.'),
    h('section', { class: 'panel' }, form),
    h('div', { class: 'network-layout' }, clusters, view),
  );
}
