// The JSON policy editor: shows the policy validator's errors and warnings as you type.
// Progressive enhancement: without this file the form's "Next" runs the same check.
// The text is posted to the console's validator (data-validate-url) with the form's CSRF
// token; findings are written with textContent, never as HTML.
"use strict";
(() => {
  const DELAY_MS = 350;

  function show(panel, findings) {
    const errors = findings.filter((f) => f.severity === "ERROR").length;
    const counts = document.createElement("p");
    counts.className = "findings-counts";
    counts.textContent = `Errors: ${errors} Warnings: ${findings.length - errors}`;
    const list = document.createElement("ul");
    for (const finding of findings) {
      const item = document.createElement("li");
      item.className = `finding ${finding.severity.toLowerCase()}`;
      const code = document.createElement("span");
      code.className = "finding-code";
      code.textContent = finding.code;
      item.append(code);
      if (finding.statement) {
        const where = document.createElement("span");
        where.className = "finding-where";
        where.textContent = ` statement ${finding.statement}${finding.sid ? ` (${finding.sid})` : ""}`;
        item.append(where);
      }
      item.append(document.createTextNode(`: ${finding.message}`));
      list.append(item);
    }
    panel.replaceChildren(counts, list);
  }

  function attach(editor) {
    const form = editor.form;
    const panel = editor.parentElement.querySelector(".findings");
    if (!form || !panel || !form.elements.csrf_token) return;
    let timer = 0;
    let latest = 0;
    async function check() {
      const mine = ++latest;
      const body = new URLSearchParams();
      body.set("csrf_token", form.elements.csrf_token.value);
      if (form.elements.acting_as) body.set("acting_as", form.elements.acting_as.value);
      body.set("document", editor.value);
      body.set("kind", editor.dataset.kind || "identity");
      try {
        const response = await fetch(editor.dataset.validateUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const answer = await response.json();
        if (mine === latest) show(panel, answer.findings);  // an older answer never overwrites a newer one
      } catch (_) {
        // Offline or signed out: the form's own check still runs on "Next".
      }
    }
    editor.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, DELAY_MS);
    });
    check();
  }

  document.querySelectorAll("textarea[data-policy-editor]").forEach(attach);
})();
