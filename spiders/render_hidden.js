// Evaluated in a page rendered by Chromium (spiders/render.py): finds the text a visitor
// cannot see from the browser's computed styles and layout, with the techniques of the
// static engine (spiders/visibility.py), and marks it with data-seo-audit-* attributes
// that spiders/rendered.py reads back from the serialized DOM.
//
// Called several times per page (the page is resized between calls, like the static
// engine's reference viewports): "start" judges every text-bearing element at the first
// width; "again" keeps only what is still hidden at the current width (text hidden at one
// width only is responsive design, not hidden text); "print" notes what print media shows;
// "mark" writes the attributes. The verdict kept is the first width's (phone: mobile-first
// indexing reads that one).
(step) => {
  const T = {
    DISPLAY_NONE: "display:none", VISIBILITY_HIDDEN: "visibility:hidden",
    CONTENT_VISIBILITY: "content-visibility:hidden", HIDDEN_ATTRIBUTE: "hidden attribute",
    CLOSED_DETAILS: "closed <details>", CLOSED_DIALOG: "closed <dialog>", POPOVER: "popover",
    OPACITY_ZERO: "opacity:0", FONT_ZERO: "font-size:0", FONT_TINY: "tiny font",
    OFF_SCREEN: "off-screen", CLIPPED: "clipped", ZERO_SIZE: "zero-size box",
    SAME_COLOUR: "colour = background", TRANSPARENT_TEXT: "transparent text",
  };
  const MIN_CONTRAST = 1.5, MIN_FONT_PX = 2, MIN_OPACITY = 0.05;
  const SKIP = new Set(["script", "style", "noscript", "template", "head", "title", "svg",
    "math", "iframe", "object", "canvas", "select", "datalist", "option", "textarea"]);
  // Techniques where a background image on the element means a logo drawn by CSS.
  const IR = new Set([T.OFF_SCREEN, T.FONT_ZERO, T.FONT_TINY, T.TRANSPARENT_TEXT,
    T.SAME_COLOUR]);
  const state = window.__seoAudit || (window.__seoAudit = { found: new Map() });
  const styles = new Map();
  const style = (el) => {
    let cs = styles.get(el);
    if (!cs) { cs = getComputedStyle(el); styles.set(el, cs); }
    return cs;
  };

  const describe = (el) => {
    let out = el.localName;
    const id = (el.getAttribute("id") || "").trim();
    if (id) out += "#" + id.slice(0, 40);
    const classes = (el.getAttribute("class") || "").split(/\s+/).filter(Boolean);
    if (classes.length) out += "." + classes.slice(0, 3).map((c) => c.slice(0, 40)).join(".");
    return "<" + out + ">";
  };

  // Colours: rgb()/rgba() as Chromium serializes sRGB colours; any other space (oklch,
  // lab, color-mix results) painted on a 1x1 canvas and read back in sRGB.
  const canvas = new OffscreenCanvas(1, 1);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const colours = new Map();
  const colour = (text) => {
    if (colours.has(text)) return colours.get(text);
    let out = null;
    const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(text);
    if (m) {
      out = [+m[1] / 255, +m[2] / 255, +m[3] / 255, m[4] === undefined ? 1 : +m[4]];
    } else {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = text;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      out = [d[0] / 255, d[1] / 255, d[2] / 255, d[3] / 255];
    }
    colours.set(text, out);
    return out;
  };
  const over = (c, bg) => [0, 1, 2].map((i) => c[i] * c[3] + bg[i] * (1 - c[3]));
  const luminance = (c) => {
    const lin = (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  };
  const contrast = (a, b) => {
    const la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  };
  const hex = (c) => "#" + c.slice(0, 3).map((v) =>
    Math.round(v * 255).toString(16).padStart(2, "0")).join("");

  const positioned = (cs) => cs.position === "absolute" || cs.position === "fixed";
  const tinyClip = (clip) => {
    const m = /^rect\(([-\d.]+)px,?\s*([-\d.]+)px,?\s*([-\d.]+)px,?\s*([-\d.]+)px\)$/.exec(clip);
    return !!m && Math.abs(+m[2] - +m[4]) <= 1 && Math.abs(+m[3] - +m[1]) <= 1;
  };
  const emptyClipPath = (v) => {
    if (!v || v === "none") return false;
    let m = /^inset\(([\d.]+)%/.exec(v);
    if (m) return +m[1] >= 50;
    m = /^circle\(0(px)?[\s)]/.exec(v);
    if (m) return true;
    m = /^polygon\((.*)\)$/.exec(v);
    if (m) return new Set(m[1].split(",").map((p) => p.trim())).size <= 1;
    return false;
  };
  const zeroTransform = (t) => {
    const m = /^matrix\(([^)]*)\)$/.exec(t);
    if (!m) return false;
    const [a, b, c, d] = m[1].split(",").map(Number);
    return (a === 0 && b === 0) || (c === 0 && d === 0);
  };

  // Elements whose box holds an image or video laid out behind their text (a hero banner):
  // their text colour cannot be judged against a background colour (as the static engine).
  let backdrops = state.backdrops;
  if (!backdrops || step === "start") {
    backdrops = state.backdrops = new Set();
    for (const media of document.querySelectorAll("img, picture, video, canvas, iframe")) {
      let el = media;
      for (let i = 0; i < 4 && el; i++, el = el.parentElement) {
        if (positioned(style(el))) {
          if (el.parentElement) backdrops.add(el.parentElement);
          break;
        }
      }
    }
  }

  // Above or left of the page: no scrolling reaches it (to the right, the page grows).
  const offPage = (r) => (r.width > 0 || r.height > 0)
    && (r.right + scrollX <= 0 || r.bottom + scrollY <= 0);

  // What hides a whole subtree, from the outermost ancestor in (the outermost names it).
  const subtreeCause = (el) => {
    const chain = [];
    for (let a = el; a && a.nodeType === 1; a = a.parentElement) chain.push(a);
    chain.reverse();
    let opacity = 1;
    for (const a of chain) {
      const p = a.parentElement;
      if (p && p.localName === "details" && !p.open && a.localName !== "summary") {
        return { t: T.CLOSED_DETAILS, by: p };
      }
      const cs = style(a);
      if (cs.display === "none") {
        let t = T.DISPLAY_NONE;
        if (a.hasAttribute("hidden")) t = T.HIDDEN_ATTRIBUTE;
        else if (a.localName === "dialog" && !a.open) t = T.CLOSED_DIALOG;
        else if (a.hasAttribute("popover")) t = T.POPOVER;
        return { t, by: a };
      }
      if (cs.contentVisibility === "hidden") return { t: T.CONTENT_VISIBILITY, by: a };
      opacity *= parseFloat(cs.opacity);
      if (opacity <= MIN_OPACITY) return { t: T.OPACITY_ZERO, by: a };
      const pos = positioned(cs);
      if (pos && tinyClip(cs.clip)) return { t: T.CLIPPED, d: "clip", by: a };
      if (emptyClipPath(cs.clipPath)) return { t: T.CLIPPED, d: "clip-path", by: a };
      const r = a.getBoundingClientRect();
      const clips = /hidden|clip/.test(cs.overflowX + " " + cs.overflowY);
      // overflow does not apply to inline boxes, and display:contents has no box at all.
      if (clips && cs.display !== "inline" && cs.display !== "contents") {
        if (pos && r.width <= 1 && r.height <= 1) return { t: T.CLIPPED, d: "1px box", by: a };
        if (r.width <= 1 || r.height <= 1) return { t: T.ZERO_SIZE, by: a };
      }
      if (zeroTransform(cs.transform)) return { t: T.ZERO_SIZE, d: "scale(0)", by: a };
      if (offPage(r)) {
        const d = pos ? (r.right + scrollX <= 0 ? "left" : "top")
          : cs.transform !== "none" ? "transform" : "margin-left";
        return { t: T.OFF_SCREEN, d, by: a };
      }
    }
    if (el.localName === "details" && !el.open) return { t: T.CLOSED_DETAILS, by: el };
    return null;
  };

  const textNodes = (el) => [...el.childNodes].filter(
    (n) => n.nodeType === 3 && n.data.trim());
  const textRects = (el) => {
    const out = [];
    const range = document.createRange();
    for (const n of textNodes(el)) {
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) out.push(r);
    }
    return out;
  };
  const hasBgImage = (el) => !!el && style(el).backgroundImage !== "none";
  const setter = (el, same) => {  // the ancestor an inherited value comes from
    let by = el;
    while (by.parentElement && by.parentElement !== document.documentElement
           && same(style(by.parentElement))) by = by.parentElement;
    return by;
  };

  // What hides the element's own text: inherited values and where the text is laid out.
  const textCause = (el) => {
    const cs = style(el);
    if (cs.visibility === "hidden" || cs.visibility === "collapse") {
      return { t: T.VISIBILITY_HIDDEN, by: setter(el, (s) => s.visibility !== "visible") };
    }
    const font = parseFloat(cs.fontSize);
    if (font < MIN_FONT_PX) {
      return { t: font === 0 ? T.FONT_ZERO : T.FONT_TINY,
               d: font === 0 ? "" : `${+font.toPrecision(2)}px` };
    }
    // text-indent: the text itself laid out off the page, or outside its clipping box.
    const indent = parseFloat(cs.textIndent) || 0;
    if (Math.abs(indent) >= 100) {
      const rects = textRects(el);
      let box = null;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        const s = style(a);
        if (/hidden|clip/.test(s.overflowX + " " + s.overflowY) && s.display !== "inline") {
          box = a.getBoundingClientRect();
          break;
        }
      }
      const outside = (r) => offPage(r) || (box && (r.right <= box.left || r.left >= box.right
        || r.bottom <= box.top || r.top >= box.bottom));
      if (rects.length && rects.every(outside)) {
        return { t: T.OFF_SCREEN, d: "text-indent",
                 by: setter(el, (s) => s.textIndent === cs.textIndent) };
      }
    }
    if (cs.textShadow && cs.textShadow !== "none") return null;
    const fg = colour(cs.color);
    if (fg[3] <= MIN_OPACITY) return { t: T.TRANSPARENT_TEXT };
    // The background the text is read against: the nearest opaque one, with the
    // translucent ones above it; unknown over an image, gradient or positioned box.
    const layers = [];
    let base = null, baseEl = null;
    for (let a = el; a; a = a.parentElement) {
      const s = style(a);
      if (s.backgroundImage !== "none") return null;
      const bg = colour(s.backgroundColor);
      const opaque = bg[3] >= 0.99;
      if (opaque) { base = bg; baseEl = a; break; }
      if (bg[3] > 0.01) layers.push(bg);
      if (positioned(s) || backdrops.has(a)) return null;
    }
    let back = base ? base.slice(0, 3) : [1, 1, 1];
    for (let i = layers.length - 1; i >= 0; i--) back = over(layers[i], back);
    const text = fg[3] < 1 ? over(fg, back) : fg.slice(0, 3);
    const ratio = contrast(text, back);
    if (ratio >= MIN_CONTRAST) return null;
    return { t: T.SAME_COLOUR, d: `${hex(text)} on ${hex(back)}, contrast ${ratio.toFixed(2)}:1`,
             x: "background: " + (baseEl ? describe(baseEl) : "default white") };
  };

  const verdict = (el) => {
    const v = subtreeCause(el) || textCause(el);
    if (v && IR.has(v.t) && [el, el.parentElement, v.by, v.by && v.by.parentElement].some(
      (e) => e && e !== document.body && hasBgImage(e))) v.hint = "image-replacement";
    return v;
  };

  if (step === "start") {
    state.found = new Map();
    const all = [document.body, ...document.body.querySelectorAll("*")];
    for (const el of all) {
      if (SKIP.has(el.localName) || el.closest("script, style, noscript, template, svg, math, "
        + "iframe, object, canvas, select, datalist, textarea")) continue;
      const link = (el.localName === "a" || el.localName === "area") && el.hasAttribute("href");
      if (!link && !textNodes(el).length) continue;
      const v = verdict(el);
      if (v) state.found.set(el, v);
    }
    return state.found.size;
  }
  if (step === "again") {
    for (const el of [...state.found.keys()]) if (!verdict(el)) state.found.delete(el);
    return state.found.size;
  }
  if (step === "print") {
    for (const [el, v] of state.found) v.print = !verdict(el);
    return state.found.size;
  }
  // "mark": the cause element gets an id, the text element the verdict.
  let n = 0;
  const ids = new Map();
  for (const [el, v] of state.found) {
    el.setAttribute("data-seo-audit-hidden", v.t);
    if (v.d) el.setAttribute("data-seo-audit-detail", v.d);
    if (v.x) el.setAttribute("data-seo-audit-extra", v.x);
    if (v.hint) el.setAttribute("data-seo-audit-hint", v.hint);
    if (v.print) el.setAttribute("data-seo-audit-print", "");
    if (v.by) {
      let id = ids.get(v.by);
      if (id === undefined) {
        id = String(++n);
        ids.set(v.by, id);
        v.by.setAttribute("data-seo-audit-id", id);
      }
      el.setAttribute("data-seo-audit-by", id);
      el.setAttribute("data-seo-audit-where", describe(v.by));
    }
  }
  return state.found.size;
}
