// anthology preview: keeps the open page up to date without a reload, shows the problems in
// the sources as an overlay and the chapter's print proof on demand. Everything it draws lives
// in a shadow root outside <body>, so the book's own stylesheets never touch it (nor it them).
(() => {
  "use strict";
  const NS = "http://www.w3.org/1999/xhtml";
  const page = location.pathname;
  const volume = (page.match(/^\/v\/([^/]+)\//) || [])[1];
  const isChapter = /^\/v\/[^/]+\/ch-[^/]+\.xhtml$/.test(page);
  const xml = document.contentType === "application/xhtml+xml";

  const make = (tag, attributes = {}, text) => {
    const element = document.createElementNS(NS, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text !== undefined) element.textContent = text;
    return element;
  };

  const CSS = `
    :host { all: initial; }
    [hidden] { display: none !important; }
    .bar { position: fixed; top: 8px; right: 8px; z-index: 2147483647; display: flex;
           gap: 12px; align-items: center; padding: 5px 10px; border-radius: 6px;
           background: rgba(28, 24, 32, 0.88); color: #eee; font: 13px/1.4 system-ui, sans-serif;
           box-shadow: 0 1px 6px rgba(0, 0, 0, 0.3); }
    .bar a, .bar button { color: #eee; font: inherit; text-decoration: none; background: none;
           border: 0; padding: 0; cursor: pointer; }
    .bar a:hover, .bar button:hover { text-decoration: underline; }
    .bar button.on { color: #ffd27a; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: #5c5; }
    .dot.off { background: #c55; }
    .warnings { color: #ffd27a; }
    .overlay { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483646;
           max-height: 45vh; overflow: auto; padding: 12px 18px; background: #fff3f1;
           color: #3a0d07; border-top: 4px solid #b03a2e; box-shadow: 0 -2px 12px rgba(0,0,0,.25);
           font: 14px/1.5 ui-monospace, "DejaVu Sans Mono", monospace; }
    .overlay h2 { margin: 0 0 6px; font: bold 15px/1.4 system-ui, sans-serif; color: #b03a2e; }
    .overlay p { margin: 0 0 8px; font: 13px/1.4 system-ui, sans-serif; }
    .overlay ul { margin: 0; padding: 0; list-style: none; }
    .overlay li { white-space: pre-wrap; margin: 2px 0; }
    .overlay li.warning { color: #6b4b00; }
    .proof { position: fixed; inset: 0; z-index: 2147483645; overflow: auto; background: #5b5760;
           padding: 52px 0 24px; text-align: center; font: 13px/1.4 system-ui, sans-serif; }
    .proof .state { color: #eee; margin: 0 0 14px; }
    .proof img { display: block; margin: 0 auto 18px; max-width: 94vw; background: #fff;
           box-shadow: 0 2px 10px rgba(0, 0, 0, 0.45); }
  `;

  const host = make("div", { id: "anthology-live" });
  document.documentElement.appendChild(host);
  const shadow = host.attachShadow({ mode: "open" });
  shadow.appendChild(make("style", {}, CSS));

  const bar = make("div", { class: "bar" });
  const dot = make("span", { class: "dot", title: "live" });
  bar.appendChild(dot);
  bar.appendChild(make("a", { href: "/" }, "Series"));
  if (volume) bar.appendChild(make("a", { href: `/v/${volume}/toc.xhtml` }, "Contents"));
  const warnings = make("span", { class: "warnings", hidden: "" });
  bar.appendChild(warnings);
  const toggle = make("button", { type: "button", id: "proof-toggle" }, "Print proof");
  if (isChapter) bar.appendChild(toggle);
  shadow.appendChild(bar);

  const overlay = make("div", { class: "overlay", role: "alert", hidden: "" });
  shadow.appendChild(overlay);
  const proof = make("div", { class: "proof", hidden: "" });
  const proofState = make("p", { class: "state" });
  const proofPages = make("div", { class: "pages" });
  proof.append(proofState, proofPages);
  shadow.appendChild(proof);

  let proofOpen = isChapter && location.hash === "#proof";
  const showProofPanel = () => {
    proof.hidden = !proofOpen;
    toggle.textContent = proofOpen ? "EPUB page" : "Print proof";
    toggle.classList.toggle("on", proofOpen);
  };
  toggle.addEventListener("click", () => { proofOpen = !proofOpen; showProofPanel(); });
  showProofPanel();

  let shown = null;
  let styles = null;
  let pages = "";

  const swap = (text) => {
    const fresh = new DOMParser().parseFromString(text, xml ? "application/xhtml+xml" : "text/html");
    if (!fresh.body || fresh.getElementsByTagName("parsererror").length) return;
    const x = window.scrollX, y = window.scrollY;
    const body = document.body;
    for (const attribute of [...body.attributes]) body.removeAttributeNode(attribute);
    for (const attribute of fresh.body.attributes) {
      body.setAttributeNS(attribute.namespaceURI, attribute.name, attribute.value);
    }
    body.replaceChildren(...[...fresh.body.childNodes].map((n) => document.importNode(n, true)));
    if (fresh.title) document.title = fresh.title;
    window.scrollTo(x, y);
  };

  const restyle = (hash) => {
    if (styles !== null && hash !== styles) {
      for (const link of document.querySelectorAll("link[rel=stylesheet]")) {
        const href = link.getAttribute("href").split("?")[0];
        link.setAttribute("href", `${href}?v=${hash}`);
      }
    }
    styles = hash;
  };

  const showProblems = (status, gone) => {
    overlay.replaceChildren();
    const errors = status.errors;
    if (errors.length || gone) {
      overlay.appendChild(make("h2", {}, errors.length
        ? `${errors.length} ${errors.length === 1 ? "problem" : "problems"} in the sources`
        : "This page is no longer in the book"));
      if (errors.length) {
        overlay.appendChild(make("p", {}, "The page shows the last version without errors; "
          + "it updates once they are fixed."));
      }
      const list = make("ul");
      for (const line of errors) list.appendChild(make("li", { class: "error" }, line));
      for (const line of status.warnings) list.appendChild(make("li", { class: "warning" }, line));
      overlay.appendChild(list);
    }
    overlay.hidden = !(errors.length || gone);
    warnings.hidden = !status.warnings.length;
    warnings.textContent = `${status.warnings.length} warning${status.warnings.length === 1 ? "" : "s"}`;
    warnings.title = status.warnings.join("\n");
  };

  const showProof = (state) => {
    if (!state) return;
    const words = { none: "Laying out…", queued: "Laying out…", running: "Laying out…",
                    ready: "", failed: `The proof could not be made: ${state.message}` };
    let text = words[state.state] ?? "";
    if (state.stale && state.pages.length && state.state !== "failed") {
      text = "Updating: this is the layout before the last edit…";
    }
    const count = state.pages.length;
    proofState.textContent = text || `Print proof: ${count} ${count === 1 ? "page" : "pages"}`;
    const joined = state.pages.join(" ");
    if (joined !== pages) {
      pages = joined;
      proofPages.replaceChildren(...state.pages.map((src, i) =>
        make("img", { src, alt: `Print proof, page ${i + 1}`, class: "page" })));
    }
    proof.dataset.state = state.state;
  };

  const update = async () => {
    const response = await fetch(page, { cache: "no-store" });
    let gone = !response.ok;
    if (response.ok) {
      const text = await response.text();
      if (shown !== null && text !== shown) swap(text);
      shown = text;
    }
    const reply = await fetch(`/_anthology/status?page=${encodeURIComponent(page)}`,
                              { cache: "no-store" });
    const status = await reply.json();
    gone = gone || status.page === "gone";
    showProblems(status, gone);
    restyle(status.styles);
    showProof(status.proof);
    window.anthologyPreview = { version: status.version, errors: status.errors.length };
  };

  let running = false;
  let again = false;
  const refresh = async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      do { again = false; await update(); } while (again);
    } catch (error) {
      again = false;
    } finally {
      running = false;
    }
  };

  const events = new EventSource("/_anthology/events");
  events.onopen = () => dot.classList.remove("off");
  events.onerror = () => dot.classList.add("off");
  events.onmessage = () => refresh();
})();
