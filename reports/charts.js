// Draws the report's charts at the width of their column, under both render engines.
//
// Vega-Lite sizes the plot to the container ("width": "container", autosize fit-x),
// but titles, subtitles, legends and long category labels keep their natural width,
// so on a phone they were clipped. Before drawing, each spec is laid out for the
// width it gets: title and subtitle wrapped to measured lines, legends stacked below
// the plot in as many columns as fit, long axis labels wrapped onto two or three
// lines. When the column changes width enough to change that layout, the chart is
// drawn again.
(function () {
  "use strict";
  const FONT = '"Liberation Sans", Arial, Helvetica, sans-serif';
  const NARROW = 560; // px: below this, legends stack and long labels wrap
  const measure = document.createElement("canvas").getContext("2d");

  function textWidth(text, size, weight) {
    measure.font = (weight || "normal") + " " + size + "px " + FONT;
    return measure.measureText(text).width;
  }

  // Words of `text` on as few lines as fit in `room` px.
  function wrap(text, room, size, weight) {
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const trial = line ? line + " " + word : word;
      if (line && textWidth(trial, size, weight) > room) {
        lines.push(line);
        line = word;
      } else {
        line = trial;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  // Every object in a spec (layers included), for encodings and their scales.
  function* walk(node) {
    if (node && typeof node === "object") {
      yield node;
      for (const value of Object.values(node)) yield* walk(value);
    }
  }

  // The widest label of a nominal y axis, from the data it labels (legends below the
  // plot start where the plot does, to the right of these labels).
  function yLabelWidth(spec, size) {
    const fields = new Set();
    for (const node of walk(Object.assign({}, spec, { datasets: null }))) {
      const y = node.encoding && node.encoding.y;
      if (y && y.type === "nominal" && y.field) fields.add(y.field);
    }
    let widest = 0;
    for (const rows of Object.values(spec.datasets || {})) {
      for (const row of rows) {
        for (const field of fields) {
          if (row[field] != null) widest = Math.max(widest, textWidth(String(row[field]), size));
        }
      }
    }
    return widest;
  }

  function legendColumns(spec, room, size) {
    let widest = 0;
    for (const node of walk(spec.encoding || spec.layer ? spec : {})) {
      const domain = node.scale && node.scale.domain;
      if ((node.field || node.aggregate) && Array.isArray(domain)) {
        for (const value of domain) widest = Math.max(widest, textWidth(String(value), size));
      }
    }
    // Symbol, gap and column padding around each label.
    const column = (widest || 110) + 52;
    return Math.max(1, Math.min(3, Math.floor(room / column)));
  }

  // The spec as it should be drawn in a column `width` px wide, and a key that
  // changes only when that layout does.
  function layout(spec, width) {
    const s = JSON.parse(JSON.stringify(spec));
    const pad = s.padding || {};
    const room = Math.max(120, width - (pad.left || 0) - (pad.right || 0) - 4);
    const config = (s.config = s.config || {});
    const titleConfig = config.title || {};
    const key = [];
    if (s.title) {
      const title = typeof s.title === "string" ? { text: s.title } : s.title;
      const text = [].concat(title.text).join(" ");
      title.text = wrap(text, room, titleConfig.fontSize || 13, "bold");
      if (title.subtitle) {
        const subtitle = [].concat(title.subtitle).join(" ");
        title.subtitle = wrap(subtitle, room, titleConfig.subtitleFontSize || 11);
        key.push(title.subtitle.length);
      }
      key.push(title.text.length);
      s.title = title;
    }
    // The first and last time labels stay inside the plot's width.
    config.axisX = Object.assign({ labelFlush: true }, config.axisX);
    const legend = (config.legend = config.legend || {});
    const narrow = width < NARROW;
    const axisSize = (config.axis && config.axis.labelFontSize) || 11;
    const yLabels = Math.min(yLabelWidth(s, axisSize), narrow ? Math.floor(room * 0.45) : 260);
    const legendRoom = room - (yLabels ? yLabels + 12 : 0);
    legend.columns = legendColumns(s, legendRoom, legend.labelFontSize || 11);
    legend.labelLimit = legendRoom - 40;
    key.push(legend.columns, narrow);
    if (narrow) {
      // Long category labels (a discrete y axis) take at most 45 % of the width,
      // wrapped onto lines instead of cut; their rows grow to hold the lines.
      const limit = Math.floor(room * 0.45);
      const chars = Math.max(12, Math.floor(limit / 6));
      for (const node of walk(s)) {
        const y = node.encoding && node.encoding.y;
        if (y && y.type === "nominal" && y.axis !== null) {
          y.axis = Object.assign({}, y.axis, {
            labelLimit: limit,
            labelExpr:
              "split(trim(replace(datum.label, regexp('(.{1," + chars + "})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')",
          });
        }
      }
      if (s.height && s.height.step) s.height = { step: Math.round(s.height.step * 1.9) };
      key.push(chars);
    }
    s.autosize = { type: "fit-x", contains: "padding" };
    return { spec: s, key: key.join("/"), narrow: narrow };
  }

  // Stack several legends under the plot on a narrow screen (Vega's legend layout).
  function stackLegends(vgSpec) {
    vgSpec.config = vgSpec.config || {};
    vgSpec.config.legend = Object.assign({}, vgSpec.config.legend, {
      layout: { bottom: { anchor: "start", direction: "vertical", margin: 8 } },
    });
    return vgSpec;
  }

  function draw(target, spec) {
    const width = target.getBoundingClientRect().width;
    const planned = layout(spec, width);
    if (target.dataset.layout === planned.key) return Promise.resolve();
    target.dataset.layout = planned.key;
    if (target._view) target._view.finalize();
    const options = { actions: false, renderer: "svg" };
    if (planned.narrow) options.patch = stackLegends;
    return vegaEmbed(target, planned.spec, options).then(function (result) {
      target._view = result.view;
    });
  }

  window.reportChart = function (selector, specId) {
    const target = document.querySelector(selector);
    const spec = JSON.parse(document.getElementById(specId).textContent);
    const redraw = function () {
      draw(target, spec).catch(function (error) {
        console.error(error);
      });
    };
    redraw();
    if (window.ResizeObserver) {
      let pending = null;
      new ResizeObserver(function () {
        clearTimeout(pending);
        pending = setTimeout(redraw, 120);
      }).observe(target);
    }
  };
})();
