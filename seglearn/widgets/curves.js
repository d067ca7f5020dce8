// seglearn CurvePlot: precision-recall curve and Dice vs threshold, with the current operating point.
// An anywidget ES module (no build step). The point follows the `threshold` trait, which the
// explorer links to its slider in the browser (jslink), so it moves without a kernel round trip.

const PANEL_W = 280;
const PANEL_H = 240;
const M = { left: 46, right: 12, top: 24, bottom: 38 };

function render({ model, el: root }) {
  root.classList.add("seglearn-curves");
  const canvas = document.createElement("canvas");
  canvas.className = "seglearn-curves-canvas";
  const W = 2 * PANEL_W;
  const H = PANEL_H;
  canvas.style.width = `${W}px`;
  canvas.style.height = `${H}px`;
  canvas.style.maxWidth = "100%";
  root.append(canvas);

  function nearestIndex(ts, t) {
    let best = -1;
    let bestDist = Infinity;
    for (let i = 0; i < ts.length; i++) {
      const d = Math.abs(ts[i] - t);
      if (d < bestDist) { bestDist = d; best = i; }
    }
    return best;
  }

  function panel(ctx, x0, title, xlabel, ylabel) {
    const pw = PANEL_W - M.left - M.right;
    const ph = PANEL_H - M.top - M.bottom;
    const ox = x0 + M.left;
    const oy = M.top;
    ctx.save();
    ctx.strokeStyle = "#ddd";
    ctx.fillStyle = "#333";
    ctx.lineWidth = 1;
    ctx.font = "11px sans-serif";
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      const gx = ox + v * pw;
      const gy = oy + (1 - v) * ph;
      ctx.beginPath(); ctx.moveTo(gx, oy); ctx.lineTo(gx, oy + ph); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(ox, gy); ctx.lineTo(ox + pw, gy); ctx.stroke();
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.fillText(String(v), gx, oy + ph + 3);
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      ctx.fillText(String(v), ox - 4, gy);
    }
    ctx.strokeStyle = "#555";
    ctx.strokeRect(ox, oy, pw, ph);
    ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    ctx.font = "bold 12px sans-serif";
    ctx.fillText(title, ox + pw / 2, oy - 6);
    ctx.font = "12px sans-serif";
    ctx.textBaseline = "bottom";
    ctx.fillText(xlabel, ox + pw / 2, PANEL_H - 2);
    ctx.translate(x0 + 12, oy + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(ylabel, 0, 0);
    ctx.restore();
    return { map: (x, y) => [ox + x * pw, oy + (1 - y) * ph], ox, oy, pw, ph };
  }

  function polyline(ctx, pts, color) {
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let pen = false;
    for (const p of pts) {
      if (p == null) { pen = false; continue; }
      if (pen) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
      pen = true;
    }
    ctx.stroke();
    ctx.restore();
  }

  function dot(ctx, p, color, label) {
    ctx.save();
    ctx.fillStyle = color;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.arc(p[0], p[1], 5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    if (label) {
      ctx.fillStyle = "#000";
      ctx.font = "11px sans-serif";
      ctx.textAlign = p[0] > PANEL_W * 0.6 ? "right" : "left";
      const below = p[1] < M.top + 24; // keep clear of the title
      ctx.textBaseline = below ? "top" : "bottom";
      ctx.fillText(label, p[0] + (ctx.textAlign === "left" ? 7 : -7), below ? p[1] + 6 : p[1] - 4);
    }
    ctx.restore();
  }

  const fmt = (v) => (v == null ? "undefined" : v.toFixed(2));

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
    const ts = model.get("thresholds") || [];
    const prec = model.get("precision") || [];
    const rec = model.get("recall") || [];
    const dice = model.get("dice") || [];
    const colors = model.get("colors") || {};
    const t = model.get("threshold");

    const pr = panel(ctx, 0, "Precision-recall curve", "recall", "precision");
    polyline(ctx, ts.map((_, i) => (prec[i] == null || rec[i] == null ? null : pr.map(rec[i], prec[i]))),
             colors.curve || "#0072B2");
    const dt = panel(ctx, PANEL_W, "Dice vs threshold", "threshold", "Dice");
    polyline(ctx, ts.map((x, i) => (dice[i] == null ? null : dt.map(x, dice[i]))), colors.curve || "#0072B2");

    const k = nearestIndex(ts, t);
    canvas.dataset.index = String(k);
    root.dataset.threshold = String(t);
    if (k < 0) return;
    const current = colors.current || "#CC79A7";
    // vertical line at the current threshold
    ctx.save();
    ctx.strokeStyle = current;
    ctx.setLineDash([4, 3]);
    const [vx] = dt.map(ts[k], 0);
    ctx.beginPath(); ctx.moveTo(vx, dt.oy); ctx.lineTo(vx, dt.oy + dt.ph); ctx.stroke();
    ctx.restore();
    if (prec[k] != null && rec[k] != null) dot(ctx, pr.map(rec[k], prec[k]), current, `P ${fmt(prec[k])}, R ${fmt(rec[k])}`);
    if (dice[k] != null) dot(ctx, dt.map(ts[k], dice[k]), current, `Dice ${fmt(dice[k])}`);
  }

  const events = ["change:threshold", "change:thresholds", "change:precision", "change:recall", "change:dice",
                  "change:colors"];
  for (const e of events) model.on(e, draw);
  draw();
  return () => { for (const e of events) model.off(e, draw); };
}

export default { render };
