// Where each number comes from. Every number of the text is a button (the report's
// Lua filter makes it); hovering, focusing or tapping it opens a popover with what the
// number is, the rows of the cleaned table it was computed from, the raw lines behind
// them and their source, drawn from the lineage embedded once in the page
// (<script id="lineage-data">). Escape or a tap elsewhere closes it. The popover is
// positioned over the text, never in its flow: opening it moves nothing.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const holder = document.getElementById("lineage-data");
  if (!holder) return;
  const lineage = JSON.parse(holder.textContent);
  let open = null; // { button, pop, pinned }
  let closing = null;
  let quiet = false; // focus given back by Escape does not reopen the popover

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  function link(text, href) {
    return href ? el("a", { href: href }, text) : text;
  }

  function content(record) {
    const box = el("div", { class: "lineage-body" });
    box.append(el("p", { class: "lineage-head" }, el("strong", {}, record.value), ": ",
      record.formula + "."));
    for (const table of record.tables || []) {
      const from = el("p", { class: "lineage-from" }, "From ", link(table.title, table.href));
      if (record.filter) from.append(" (" + record.filter + ")");
      from.append(":");
      box.append(from);
      const rows = el("table", { class: "lineage-rows" });
      rows.append(el("thead", {}, el("tr", {}, ...table.head.map((h) => el("th", { scope: "col" }, h)))));
      rows.append(el("tbody", {}, ...table.body.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))));
      box.append(el("div", { class: "lineage-table" }, rows));
      if (table.more > 0) {
        box.append(el("p", { class: "lineage-more" }, "and " + table.more.toLocaleString("en-GB")
          + (table.more === 1 ? " more row" : " more rows")));
      }
    }
    const raw = record.raw || [];
    if (raw.length) {
      const p = el("p", {}, el("span", { class: "lineage-label" }, "Raw data: "));
      raw.forEach((item, i) => {
        if (i) p.append("; ");
        p.append(link(item.title, item.href), ", " + item.lines);
      });
      box.append(p);
    }
    const sources = record.sources || [];
    if (sources.length) {
      const p = el("p", {}, el("span", { class: "lineage-label" }, "Source: "));
      sources.forEach((source, i) => {
        if (i) p.append("; ");
        p.append(link(source.text, source.href));
      });
      if (record.more_sources > 0) p.append("; and " + record.more_sources + " more");
      box.append(p);
    }
    return box;
  }

  // Absolute coordinates inside the popover's containing block.
  function place(button, pop) {
    const box = button.getBoundingClientRect();
    const width = pop.offsetWidth;
    const viewport = document.documentElement.clientWidth;
    const left = Math.max(8, Math.min(box.left, viewport - width - 8));
    const parent = pop.offsetParent;
    let originX = -window.scrollX;
    let originY = -window.scrollY;
    if (parent && getComputedStyle(parent).position !== "static") {
      const rect = parent.getBoundingClientRect();
      originX = rect.left - parent.scrollLeft;
      originY = rect.top - parent.scrollTop;
    }
    pop.style.left = left - originX + "px";
    pop.style.top = box.bottom + 6 - originY + "px";
  }

  function hide() {
    clearTimeout(closing);
    if (!open) return;
    const current = open;
    open = null; // first: removing a focused popover fires focusout, which hides too
    current.button.setAttribute("aria-expanded", "false");
    current.pop.remove();
  }
  function show(button, pinned) {
    clearTimeout(closing);
    if (open && open.button === button) {
      open.pinned = open.pinned || pinned;
      return;
    }
    hide();
    const record = lineage[button.dataset.var];
    if (!record) return;
    const pop = el("div", {
      class: "lineage-pop", role: "dialog", id: "lineage-pop",
      "aria-label": "Where " + record.value + " comes from",
    }, content(record));
    // Right after the number, so that Tab goes on into the popover's links.
    button.after(pop);
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-controls", "lineage-pop");
    place(button, pop);
    pop.addEventListener("mouseenter", () => clearTimeout(closing));
    pop.addEventListener("mouseleave", () => later());
    pop.addEventListener("focusout", (event) => {
      if (open && !open.pop.contains(event.relatedTarget) && event.relatedTarget !== open.button) hide();
    });
    open = { button: button, pop: pop, pinned: pinned };
  }
  function later() {
    clearTimeout(closing);
    if (open && !open.pinned) closing = setTimeout(hide, 300);
  }

  // A long value is a span acting as a button (so that it wraps with the text):
  // Enter and Space press it, as they press a button.
  for (const button of document.querySelectorAll("span.lineage-num")) {
    button.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      button.click();
    });
  }
  for (const button of document.querySelectorAll(".lineage-num")) {
    button.addEventListener("mouseenter", () => show(button, false));
    button.addEventListener("mouseleave", later);
    button.addEventListener("focus", () => {
      if (quiet) quiet = false;
      else show(button, false);
    });
    button.addEventListener("blur", (event) => {
      if (open && open.button === button && !open.pop.contains(event.relatedTarget)) hide();
    });
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      if (open && open.button === button && open.pinned) hide();
      else show(button, true);
    });
  }
  document.addEventListener("click", (event) => {
    if (open && !open.pop.contains(event.target)) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !open) return;
    const button = open.button;
    const inside = open.pop.contains(document.activeElement);
    hide();
    if (inside) {
      quiet = true;
      button.focus({ preventScroll: true });
    }
  });
  window.addEventListener("resize", () => open && place(open.button, open.pop));
});
