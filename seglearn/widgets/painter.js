// seglearn MaskPainter: an anywidget ES module (no build step).
//
// The learner paints into this view's own Uint8Array (one byte per mask pixel, 0 or 1); the
// canvas is only a picture of that array (never read back). The array is sent to Python as raw
// bytes at the end of every stroke and, throttled, while dragging.
//
// CSS hooks: the root element carries `seglearn-painter`, the drawing surface is the <canvas>
// (class `seglearn-canvas`), errors from Python callbacks appear in `.seglearn-error`.

const SYNC_INTERVAL_MS = 150; // throttle for updates while dragging
const UNDO_LIMIT = 50;
const FILL_ALPHA = 0.55; // opacity of the prediction / outcome colours over the image

function hexToRgb(hex) {
  const h = String(hex || "#000000").replace("#", "");
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

function bytesOf(value) {
  // Binary traits arrive as DataView (or ArrayBuffer / typed array); null stays null.
  if (value == null) return null;
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text != null) node.textContent = text;
  return node;
}

function render({ model, el: root }) {
  root.classList.add("seglearn-painter");
  const W = model.get("width");
  const H = model.get("height");
  const N = W * H;

  // ---- state: the mask lives here, in our own array ----------------------------------------
  const mask = new Uint8Array(N);
  let image = new Uint8Array(N);
  let reference = null;
  let outline = null;
  const undoStack = [];
  const redoStack = [];
  let drawing = false;
  let last = null;
  let lastSync = 0;
  let syncTimer = null;
  let frame = null;
  let settingMask = false;

  // ---- DOM ----------------------------------------------------------------------------------
  const toolbar = el("div", "seglearn-toolbar");
  const paintBtn = el("button", "seglearn-tool seglearn-paint", "Paint");
  const eraseBtn = el("button", "seglearn-tool seglearn-erase", "Erase");
  const fillBtn = el("button", "seglearn-tool seglearn-fill", "Fill");
  fillBtn.title = "Fill every region enclosed by your painted outline";
  const undoBtn = el("button", "seglearn-tool seglearn-undo", "Undo");
  const redoBtn = el("button", "seglearn-tool seglearn-redo", "Redo");
  const clearBtn = el("button", "seglearn-tool seglearn-clear", "Clear");
  const brushLabel = el("label", "seglearn-brush");
  const brushInput = el("input");
  brushInput.type = "range";
  brushInput.min = "1";
  brushInput.max = "25";
  brushInput.step = "1";
  const brushValue = el("span", "seglearn-brush-value");
  brushLabel.append("Brush ", brushInput, brushValue);
  const refLabel = el("label", "seglearn-toggle seglearn-toggle-reference");
  const refBox = el("input");
  refBox.type = "checkbox";
  refLabel.append(refBox, " reference outline");
  const outcomeLabel = el("label", "seglearn-toggle seglearn-toggle-outcome");
  const outcomeBox = el("input");
  outcomeBox.type = "checkbox";
  outcomeLabel.append(outcomeBox, " TP/FP/FN colours");
  for (const b of [paintBtn, eraseBtn, fillBtn, undoBtn, redoBtn, clearBtn]) b.type = "button";
  toolbar.append(paintBtn, eraseBtn, fillBtn, undoBtn, redoBtn, clearBtn, brushLabel, refLabel, outcomeLabel);

  const canvas = el("canvas", "seglearn-canvas");
  canvas.width = W;
  canvas.height = H;
  canvas.style.touchAction = "none";
  canvas.style.imageRendering = "pixelated";
  const ctx = canvas.getContext("2d");
  const pixels = ctx.createImageData(W, H);

  const status = el("div", "seglearn-status");
  const legend = el("div", "seglearn-legend");
  const error = el("div", "seglearn-error");
  root.append(toolbar, canvas, status, legend, error);

  // ---- drawing of the picture ---------------------------------------------------------------
  function computeOutline() {
    outline = null;
    if (!reference) return;
    outline = new Uint8Array(N);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        if (!reference[i]) continue;
        if (x === 0 || y === 0 || x === W - 1 || y === H - 1 || !reference[i - 1] || !reference[i + 1] ||
            !reference[i - W] || !reference[i + W]) outline[i] = 1;
      }
    }
  }

  function paintPicture() {
    frame = null;
    const colors = model.get("colors") || {};
    const pred = hexToRgb(colors.prediction);
    const tp = hexToRgb(colors.tp);
    const fp = hexToRgb(colors.fp);
    const fn = hexToRgb(colors.fn);
    const refc = hexToRgb(colors.reference);
    const outcome = !!model.get("show_outcome") && reference != null;
    const showRef = !!model.get("show_reference") && outline != null;
    const a = FILL_ALPHA;
    const b = 1 - a;
    const d = pixels.data;
    let count = 0;
    for (let i = 0, j = 0; i < N; i++, j += 4) {
      const g = image[i];
      let c = null;
      if (mask[i]) {
        count++;
        c = outcome ? (reference[i] ? tp : fp) : pred;
      } else if (outcome && reference[i]) {
        c = fn;
      }
      if (showRef && outline[i]) {
        d[j] = refc[0]; d[j + 1] = refc[1]; d[j + 2] = refc[2];
      } else if (c) {
        d[j] = b * g + a * c[0]; d[j + 1] = b * g + a * c[1]; d[j + 2] = b * g + a * c[2];
      } else {
        d[j] = g; d[j + 1] = g; d[j + 2] = g;
      }
      d[j + 3] = 255;
    }
    ctx.putImageData(pixels, 0, 0);
    status.textContent = model.get("editable") ? `${count} px painted` : `${count} px in the mask`;
    status.dataset.painted = String(count);
  }

  function redraw(now) {
    if (now) {
      if (frame != null) cancelAnimationFrame(frame);
      paintPicture();
    } else if (frame == null) {
      frame = requestAnimationFrame(paintPicture);
    }
  }

  // ---- controls reflect model state -----------------------------------------------------------
  function applyLayout() {
    const zoom = Math.max(1, model.get("zoom") || 1);
    canvas.style.width = `${W * zoom}px`;
  }

  function applyControls() {
    const editable = !!model.get("editable");
    const mode = model.get("mode");
    toolbar.style.display = editable ? "" : "none";
    canvas.classList.toggle("seglearn-readonly", !editable);
    paintBtn.classList.toggle("seglearn-active", mode === "paint");
    eraseBtn.classList.toggle("seglearn-active", mode === "erase");
    brushInput.value = String(model.get("brush"));
    brushValue.textContent = ` ${model.get("brush")} px`;
    refBox.checked = !!model.get("show_reference");
    outcomeBox.checked = !!model.get("show_outcome");
    refLabel.style.display = reference ? "" : "none";
    outcomeLabel.style.display = reference ? "" : "none";
    undoBtn.disabled = undoStack.length === 0;
    redoBtn.disabled = redoStack.length === 0;
    const colors = model.get("colors") || {};
    legend.replaceChildren();
    const items = model.get("show_outcome") && reference
      ? [["tp", "TP (found)"], ["fp", "FP (false alarm)"], ["fn", "FN (missed)"]]
      : [["prediction", "your mask"]];
    if (model.get("show_reference") && reference) items.push(["reference", "reference outline"]);
    for (const [key, text] of items) {
      const sw = el("span", "seglearn-swatch");
      sw.style.background = colors[key] || "#000";
      const item = el("span", "seglearn-legend-item");
      item.append(sw, text);
      legend.append(item);
    }
  }

  function applyError() {
    const msg = model.get("error") || "";
    error.textContent = msg;
    error.style.display = msg ? "" : "none";
  }

  function loadImage() {
    const bytes = bytesOf(model.get("_image"));
    image = bytes && bytes.length === N ? new Uint8Array(bytes) : new Uint8Array(N);
  }

  function loadReference() {
    const bytes = bytesOf(model.get("reference"));
    reference = bytes && bytes.length === N ? new Uint8Array(bytes) : null;
    computeOutline();
  }

  function loadMask() {
    const bytes = bytesOf(model.get("mask"));
    if (bytes && bytes.length === N) {
      for (let i = 0; i < N; i++) mask[i] = bytes[i] ? 1 : 0;
    }
  }

  // ---- syncing to Python --------------------------------------------------------------------
  function syncNow() {
    if (syncTimer != null) {
      clearTimeout(syncTimer);
      syncTimer = null;
    }
    lastSync = performance.now();
    settingMask = true; // model.set fires our own change:mask handler synchronously
    try {
      model.set("mask", new DataView(mask.slice().buffer));
    } finally {
      settingMask = false;
    }
    model.save_changes();
  }

  function syncThrottled() {
    const wait = SYNC_INTERVAL_MS - (performance.now() - lastSync);
    if (wait <= 0) syncNow();
    else if (syncTimer == null) syncTimer = setTimeout(syncNow, wait);
  }

  // ---- editing ----------------------------------------------------------------------------
  function pushUndo() {
    undoStack.push(mask.slice());
    if (undoStack.length > UNDO_LIMIT) undoStack.shift();
    redoStack.length = 0;
  }

  function stamp(cx, cy, value) {
    const size = Math.max(1, model.get("brush") | 0);
    const r = size / 2;
    const r2 = r * r;
    const reach = Math.floor(r);
    for (let dy = -reach; dy <= reach; dy++) {
      const y = cy + dy;
      if (y < 0 || y >= H) continue;
      for (let dx = -reach; dx <= reach; dx++) {
        const x = cx + dx;
        if (x < 0 || x >= W || dx * dx + dy * dy > r2) continue;
        mask[y * W + x] = value;
      }
    }
  }

  function line(p, q, value) {
    // Bresenham between two mask pixels, stamping the brush at every step.
    let [x0, y0] = p;
    const [x1, y1] = q;
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      stamp(x0, y0, value);
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) { err += dy; x0 += sx; }
      if (e2 <= dx) { err += dx; y0 += sy; }
    }
  }

  function fillEnclosed() {
    // Every unpainted pixel that cannot reach the border through unpainted pixels is enclosed.
    const outside = new Uint8Array(N);
    const stack = new Int32Array(N);
    let top = 0;
    const seed = (i) => { if (!mask[i] && !outside[i]) { outside[i] = 1; stack[top++] = i; } };
    for (let x = 0; x < W; x++) { seed(x); seed((H - 1) * W + x); }
    for (let y = 0; y < H; y++) { seed(y * W); seed(y * W + W - 1); }
    while (top > 0) {
      const i = stack[--top];
      const x = i % W;
      if (x > 0) seed(i - 1);
      if (x < W - 1) seed(i + 1);
      if (i >= W) seed(i - W);
      if (i < N - W) seed(i + W);
    }
    let changed = 0;
    for (let i = 0; i < N; i++) if (!mask[i] && !outside[i]) { mask[i] = 1; changed++; }
    return changed;
  }

  function toMask(ev) {
    // Client (CSS px) -> mask pixel, through the canvas content box (border and padding excluded).
    const r = canvas.getBoundingClientRect();
    const cs = getComputedStyle(canvas);
    const padL = parseFloat(cs.paddingLeft) || 0;
    const padT = parseFloat(cs.paddingTop) || 0;
    const padR = parseFloat(cs.paddingRight) || 0;
    const padB = parseFloat(cs.paddingBottom) || 0;
    const cw = canvas.clientWidth - padL - padR;
    const ch = canvas.clientHeight - padT - padB;
    const x = ((ev.clientX - r.left - canvas.clientLeft - padL) * W) / cw;
    const y = ((ev.clientY - r.top - canvas.clientTop - padT) * H) / ch;
    return [Math.min(W - 1, Math.max(0, Math.floor(x))), Math.min(H - 1, Math.max(0, Math.floor(y)))];
  }

  function strokeValue() {
    return model.get("mode") === "erase" ? 0 : 1;
  }

  function onDown(ev) {
    if (!model.get("editable") || ev.button > 0) return;
    ev.preventDefault();
    try {
      canvas.setPointerCapture(ev.pointerId); // keep the stroke when the pointer leaves the canvas
    } catch (_err) {
      // not an active pointer (e.g. a synthetic event): draw without capture
    }
    drawing = true;
    pushUndo();
    last = toMask(ev);
    stamp(last[0], last[1], strokeValue());
    redraw(false);
  }

  function onMove(ev) {
    if (!drawing) return;
    ev.preventDefault();
    const events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    const value = strokeValue();
    for (const e of events.length ? events : [ev]) {
      const p = toMask(e);
      line(last, p, value);
      last = p;
    }
    redraw(false);
    syncThrottled();
  }

  function onUp(ev) {
    if (!drawing) return;
    drawing = false;
    if (canvas.hasPointerCapture(ev.pointerId)) canvas.releasePointerCapture(ev.pointerId);
    redraw(true);
    syncNow();
    applyControls();
  }

  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  canvas.addEventListener("lostpointercapture", onUp);
  canvas.addEventListener("contextmenu", (ev) => ev.preventDefault());

  function edit(fn) {
    pushUndo();
    fn();
    redraw(true);
    syncNow();
    applyControls();
  }

  paintBtn.addEventListener("click", () => { model.set("mode", "paint"); model.save_changes(); });
  eraseBtn.addEventListener("click", () => { model.set("mode", "erase"); model.save_changes(); });
  fillBtn.addEventListener("click", () => edit(fillEnclosed));
  clearBtn.addEventListener("click", () => edit(() => mask.fill(0)));
  undoBtn.addEventListener("click", () => {
    if (!undoStack.length) return;
    redoStack.push(mask.slice());
    mask.set(undoStack.pop());
    redraw(true);
    syncNow();
    applyControls();
  });
  redoBtn.addEventListener("click", () => {
    if (!redoStack.length) return;
    undoStack.push(mask.slice());
    mask.set(redoStack.pop());
    redraw(true);
    syncNow();
    applyControls();
  });
  brushInput.addEventListener("input", () => {
    model.set("brush", parseInt(brushInput.value, 10));
    model.save_changes();
  });
  refBox.addEventListener("change", () => { model.set("show_reference", refBox.checked); model.save_changes(); });
  outcomeBox.addEventListener("change", () => { model.set("show_outcome", outcomeBox.checked); model.save_changes(); });

  // ---- model -> view ------------------------------------------------------------------------
  const handlers = {
    "change:mask": () => {
      // A mask assigned in Python: adopt it (undoable when the learner can edit).
      if (drawing || settingMask) return;
      if (model.get("editable")) pushUndo();
      loadMask();
      redraw(true);
      applyControls();
    },
    "change:reference": () => { loadReference(); applyControls(); redraw(true); },
    "change:_image": () => { loadImage(); redraw(true); },
    "change:show_reference": () => { applyControls(); redraw(true); },
    "change:show_outcome": () => { applyControls(); redraw(true); },
    "change:colors": () => { applyControls(); redraw(true); },
    "change:brush": applyControls,
    "change:mode": applyControls,
    "change:editable": applyControls,
    "change:zoom": applyLayout,
    "change:error": applyError,
  };
  for (const [event, fn] of Object.entries(handlers)) model.on(event, fn);

  loadImage();
  loadReference();
  loadMask();
  applyLayout();
  applyControls();
  applyError();
  redraw(true);

  return () => {
    for (const [event, fn] of Object.entries(handlers)) model.off(event, fn);
    if (syncTimer != null) clearTimeout(syncTimer);
    if (frame != null) cancelAnimationFrame(frame);
  };
}

export default { render };
