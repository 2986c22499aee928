// The JSON policy editor: shows IAM Access Analyzer's policy validation findings as you
// type, in the validation pane's tabs (Security, Errors, Warnings, Suggestions, each with
// its count; the same pane as templates/iam/parts.html draws, findings_list).
// Progressive enhancement: without this file the form's "Next" runs the same check.
// The text is posted to the console's validator (data-validate-url) with the form's CSRF
// token; findings are written with textContent, never as HTML.
"use strict";
(() => {
  const DELAY_MS = 350;
  const TABS = [
    ["SECURITY_WARNING", "Security"],
    ["ERROR", "Errors"],
    ["WARNING", "Warnings"],
    ["SUGGESTION", "Suggestions"],
  ];

  function item(finding) {
    const entry = document.createElement("li");
    entry.className = `finding ${finding.findingType.toLowerCase()}`;
    if (finding.statement) {
      const where = document.createElement("span");
      where.className = "finding-where";
      where.textContent = `Statement ${finding.statement}${finding.sid ? ` (${finding.sid})` : ""}: `;
      entry.append(where);
    }
    const split = finding.message.indexOf(": ");
    const title = document.createElement("span");
    title.className = "finding-title";
    title.textContent = finding.message.slice(0, split);
    const link = document.createElement("a");
    link.className = "finding-link";
    link.href = finding.learnMoreLink;
    link.textContent = "Learn more";
    entry.append(title, document.createTextNode(`${finding.message.slice(split)} `), link);
    return entry;
  }

  function select(pane, type) {
    for (const tab of pane.querySelectorAll('[role="tab"]')) {
      const chosen = tab.id === `policy-findings-${type.toLowerCase()}-tab`;
      tab.setAttribute("aria-selected", chosen ? "true" : "false");
      pane.querySelector(`#${tab.getAttribute("aria-controls")}`).hidden = !chosen;
    }
  }

  function show(pane, findings) {
    const tabs = document.createElement("div");
    tabs.className = "tabs editor-tabs findings-tabs";
    tabs.setAttribute("role", "tablist");
    tabs.setAttribute("aria-label", "Finding types");
    const panels = [];
    for (const [type, label] of TABS) {
      const mine = findings.filter((f) => f.findingType === type);
      const id = `policy-findings-${type.toLowerCase()}`;
      const tab = document.createElement("button");
      tab.type = "button";
      tab.id = `${id}-tab`;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", id);
      tab.textContent = `${label}: ${mine.length}`;
      tabs.append(tab);
      const panel = document.createElement("div");
      panel.id = id;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      const list = document.createElement("ul");
      list.append(...mine.map(item));
      panel.append(list);
      panels.push(panel);
    }
    pane.replaceChildren(tabs, ...panels);
    const present = new Set(findings.map((f) => f.findingType));
    const first = TABS.find(([type]) => present.has(type));
    select(pane, present.has("ERROR") ? "ERROR" : first ? first[0] : "SECURITY_WARNING");
  }

  function attach(editor) {
    const form = editor.form;
    const panel = editor.parentElement.querySelector(".findings");
    if (!form || !panel || !form.elements.csrf_token) return;
    panel.addEventListener("click", (event) => {
      const tab = event.target.closest('[role="tab"]');
      if (tab) select(panel, tab.id.replace(/^policy-findings-|-tab$/g, "").toUpperCase());
    });
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
