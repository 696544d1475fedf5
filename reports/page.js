// The page's furniture under both render engines: heading anchors, the current
// section marked in the contents, and citations and cross-references that show their
// target on hover or keyboard focus. In the page header with the charts' code, it
// runs once the page has been read.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const toc = document.getElementById("TOC");
  const headings = [...document.querySelectorAll("h2[id], h3[id]")].filter(
    (h) => !toc || !toc.contains(h)
  );

  for (const heading of headings) {
    const anchor = document.createElement("a");
    anchor.className = "anchor-link";
    anchor.href = "#" + heading.id;
    anchor.setAttribute("aria-label", "Link to this section: " + heading.textContent.trim());
    anchor.textContent = "#";
    heading.appendChild(anchor);
  }

  // The contents link of the section being read is marked .active.
  if (toc) {
    const links = new Map(
      [...toc.querySelectorAll("a[href^='#']")].map((a) => [a.getAttribute("href").slice(1), a])
    );
    const sections = headings.filter((h) => links.has(h.id));
    let current = null;
    const mark = function () {
      let found = sections[0];
      for (const h of sections) if (h.getBoundingClientRect().top < 120) found = h;
      if (found === current) return;
      if (current) {
        links.get(current.id).classList.remove("active");
        links.get(current.id).removeAttribute("aria-current");
      }
      current = found;
      if (current) {
        links.get(current.id).classList.add("active");
        links.get(current.id).setAttribute("aria-current", "location");
      }
    };
    document.addEventListener("scroll", mark, { passive: true });
    window.addEventListener("resize", mark);
    mark();
  }

  // Hover previews: a reference entry, a figure's or a table's caption.
  function targetText(id) {
    const target = document.getElementById(id);
    if (!target) return "";
    const part = target.querySelector(".csl-entry, figcaption, caption") || target;
    return part.textContent.replace(/\s+/g, " ").trim();
  }
  let preview = null;
  function hide() {
    if (preview) preview.remove();
    preview = null;
  }
  function show(link) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    const text = targetText(id);
    if (!text) return;
    hide();
    preview = document.createElement("div");
    preview.className = "ref-preview";
    preview.setAttribute("role", "tooltip");
    preview.id = "ref-preview";
    preview.textContent = text;
    document.body.appendChild(preview);
    link.setAttribute("aria-describedby", "ref-preview");
    const box = link.getBoundingClientRect();
    const width = preview.offsetWidth;
    const left = Math.min(box.left, document.documentElement.clientWidth - width - 8);
    preview.style.left = Math.max(8, left) + window.scrollX + "px";
    preview.style.top = box.bottom + window.scrollY + 6 + "px";
  }
  const selector = "a[href^='#ref-'], a[href^='#fig-'], a[href^='#tbl-']";
  for (const link of document.querySelectorAll(selector)) {
    if (toc && toc.contains(link)) continue;
    link.addEventListener("mouseenter", () => show(link));
    link.addEventListener("focus", () => show(link));
    link.addEventListener("mouseleave", hide);
    link.addEventListener("blur", hide);
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
});
