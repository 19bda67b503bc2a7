/** A node placed by the layout: its centre, size, label and kind (the kinds of `DagNode`). */
export interface PlacedNode {
  id: string;
  label: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Fill and border of each node kind (the colours of the cytoscape style in dag-graph.ts). */
const palette: Record<string, { fill: string; border: string }> = {
  file: { fill: '#fdf1d8', border: '#c79a3a' },
  samples: { fill: '#dcf1e3', border: '#4f9a6a' },
  erased: { fill: '#c9ced6', border: '#aabbbb' },
  more: { fill: '#ffffff', border: '#7d94bd' },
};
const defaultColours = { fill: '#dfe8f7', border: '#7d94bd' };

/** Labels are drawn only when they would be at least this many pixels high. */
const minLabelPixels = 7;

/** A zoom and pan: screen = world · zoom + pan (CSS pixels). */
interface Viewport {
  zoom: number;
  x: number;
  y: number;
}

/**
 * Draws a large laid-out DAG on one 2D canvas (not WebGL) in `container`: edges as straight
 * lines from a node's right side to the next one's left side (the layout runs left to right),
 * nodes as rectangles coloured by kind, labels once zoomed in enough to read them, only what is
 * in view. Each redraw is a few thousand canvas calls: milliseconds where cytoscape's per-element
 * styles took seconds for 2,000 nodes. The wheel zooms around the pointer, dragging pans, a click
 * selects a node (calls `onSelect`); with the focus on the canvas `+`/`-` zoom, the arrows pan
 * and `0` fits the whole DAG again. `onDrawn` is called once the first frame is on screen.
 */
export function drawDagOnCanvas(
  container: HTMLElement,
  nodes: readonly PlacedNode[],
  edges: readonly { from: string; to: string }[],
  options: { padding: number; onSelect?: (id: string) => void; onDrawn?: () => void },
): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const lines = edges.flatMap((e) => {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    return a && b ? [{ a, b }] : [];
  });
  const canvas = document.createElement('canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', 'Lineage DAG: drag to pan, wheel or + and - to zoom, 0 to fit');
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  canvas.style.cursor = 'grab';
  container.replaceChildren(canvas);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2D canvas context');
  const ctx = context;
  let width = 0;
  let height = 0;
  let ratio = 1;
  let view: Viewport = { zoom: 1, x: 0, y: 0 };
  let selected: string | undefined;
  let pending = false;

  const wholeView = (): Viewport => fitView(nodes, width, height, options.padding);
  const resize = () => {
    width = Math.max(1, container.clientWidth);
    height = Math.max(1, container.clientHeight);
    ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  };

  const draw = () => {
    pending = false;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const { zoom } = view;
    ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * view.x, ratio * view.y);
    // The world rectangle in view, and the nodes that touch it.
    const left = -view.x / zoom;
    const top = -view.y / zoom;
    const right = left + width / zoom;
    const bottom = top + height / zoom;
    const inView = (n: PlacedNode) =>
      n.x + n.width / 2 >= left &&
      n.x - n.width / 2 <= right &&
      n.y + n.height / 2 >= top &&
      n.y - n.height / 2 <= bottom;
    ctx.lineWidth = 1 / zoom;
    ctx.strokeStyle = '#9aa5b5';
    ctx.beginPath();
    for (const { a, b } of lines) {
      const x1 = a.x + a.width / 2;
      const x2 = b.x - b.width / 2;
      if (Math.max(x1, x2) < left || Math.min(x1, x2) > right) continue;
      if (Math.max(a.y, b.y) < top || Math.min(a.y, b.y) > bottom) continue;
      ctx.moveTo(x1, a.y);
      ctx.lineTo(x2, b.y);
    }
    ctx.stroke();
    const visible = nodes.filter(inView);
    const kinds = new Map<string, PlacedNode[]>();
    for (const n of visible) {
      const colours = palette[n.kind] ? n.kind : '';
      const list = kinds.get(colours);
      if (list) list.push(n);
      else kinds.set(colours, [n]);
    }
    for (const [kind, list] of kinds) {
      const colours = palette[kind] ?? defaultColours;
      ctx.beginPath();
      for (const n of list) ctx.rect(n.x - n.width / 2, n.y - n.height / 2, n.width, n.height);
      ctx.fillStyle = colours.fill;
      ctx.fill();
      ctx.strokeStyle = colours.border;
      ctx.stroke();
    }
    const chosen = selected ? byId.get(selected) : undefined;
    if (chosen && inView(chosen)) {
      ctx.lineWidth = 3 / zoom;
      ctx.strokeStyle = '#f0a020';
      ctx.strokeRect(chosen.x - chosen.width / 2, chosen.y - chosen.height / 2, chosen.width, chosen.height);
    }
    if (zoom * 10 >= minLabelPixels) {
      ctx.fillStyle = '#1f2630';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (const n of visible) {
        if (n.kind === 'erased' || n.label === '') continue;
        ctx.font = n.height < 30 ? '10px sans-serif' : '11px sans-serif';
        ctx.fillText(n.label.split('\n')[0], n.x, n.y, n.width - 8);
      }
    }
  };
  const redraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(draw);
  };
  const zoomAround = (factor: number, sx: number, sy: number) => {
    const zoom = Math.min(4, Math.max(1e-4, view.zoom * factor));
    const k = zoom / view.zoom;
    view = { zoom, x: sx - (sx - view.x) * k, y: sy - (sy - view.y) * k };
    redraw();
  };

  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = canvas.getBoundingClientRect();
      zoomAround(Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
    },
    { passive: false },
  );
  let drag: { x: number; y: number; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, moved: false };
    canvas.setPointerCapture(event.pointerId);
    canvas.style.cursor = 'grabbing';
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag = { x: event.clientX, y: event.clientY, moved: true };
    view = { ...view, x: view.x + dx, y: view.y + dy };
    redraw();
  });
  canvas.addEventListener('pointerup', (event) => {
    const click = drag && !drag.moved;
    drag = undefined;
    canvas.style.cursor = 'grab';
    if (!click) return;
    const box = canvas.getBoundingClientRect();
    const wx = (event.clientX - box.left - view.x) / view.zoom;
    const wy = (event.clientY - box.top - view.y) / view.zoom;
    const hit = nodes.find((n) => Math.abs(wx - n.x) <= n.width / 2 && Math.abs(wy - n.y) <= n.height / 2);
    selected = hit?.id;
    redraw();
    if (hit) options.onSelect?.(hit.id);
  });
  canvas.addEventListener('keydown', (event) => {
    const step = 60;
    const keys: Record<string, () => void> = {
      '+': () => zoomAround(1.25, width / 2, height / 2),
      '=': () => zoomAround(1.25, width / 2, height / 2),
      '-': () => zoomAround(0.8, width / 2, height / 2),
      '0': () => {
        view = wholeView();
        redraw();
      },
      ArrowLeft: () => {
        view = { ...view, x: view.x + step };
        redraw();
      },
      ArrowRight: () => {
        view = { ...view, x: view.x - step };
        redraw();
      },
      ArrowUp: () => {
        view = { ...view, y: view.y + step };
        redraw();
      },
      ArrowDown: () => {
        view = { ...view, y: view.y - step };
        redraw();
      },
    };
    const act = keys[event.key];
    if (!act) return;
    event.preventDefault();
    act();
  });
  new ResizeObserver(() => {
    if (container.clientWidth === width && container.clientHeight === height) return;
    resize();
    redraw();
  }).observe(container);

  resize();
  view = wholeView();
  draw();
  // Two frames: the one the drawing goes out with has been presented.
  requestAnimationFrame(() => requestAnimationFrame(() => options.onDrawn?.()));
}

/** The zoom and pan that fit every node into a `width` × `height` canvas with `padding` around. */
function fitView(nodes: readonly PlacedNode[], width: number, height: number, padding: number): Viewport {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  for (const n of nodes) {
    x1 = Math.min(x1, n.x - n.width / 2);
    x2 = Math.max(x2, n.x + n.width / 2);
    y1 = Math.min(y1, n.y - n.height / 2);
    y2 = Math.max(y2, n.y + n.height / 2);
  }
  if (!Number.isFinite(x1)) return { zoom: 1, x: padding, y: padding };
  const w = Math.max(1, width - 2 * padding);
  const h = Math.max(1, height - 2 * padding);
  const zoom = Math.min(w / Math.max(1, x2 - x1), h / Math.max(1, y2 - y1), 1);
  return {
    zoom,
    x: padding + (w - (x2 - x1) * zoom) / 2 - x1 * zoom,
    y: padding + (h - (y2 - y1) * zoom) / 2 - y1 * zoom,
  };
}
