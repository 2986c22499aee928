// Progressive enhancement only: every form works without this file.
"use strict";
document.addEventListener("click", (event) => {
  // Close the account menu when clicking elsewhere.
  const menu = document.querySelector("details.account-menu[open]");
  if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
});
// Sign-in: the IAM user name field is hidden while "Root user" is chosen.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.signin");
  if (!form) return;
  const iamOnly = form.querySelector(".iam-only");
  const update = () => {
    const root = form.querySelector('input[name="signin_type"][value="root"]');
    iamOnly.classList.toggle("is-hidden", Boolean(root && root.checked));
  };
  form.addEventListener("change", update);
  update();
});
// Switch Role: while the display name is left empty (or still the suggestion), it follows
// what is typed as "ROLE @ ACCOUNT", the suggestion AWS's form makes (the server uses the
// same default when the field is posted empty).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.switch-role");
  if (!form) return;
  const account = form.elements.namedItem("account");
  const role = form.elements.namedItem("roleName");
  const display = form.elements.namedItem("displayName");
  const suggestion = () => {
    const name = role.value.trim().replace(/^\/+|\/+$/g, "").split("/").pop();
    return name && account.value.trim() ? `${name} @ ${account.value.trim()}` : "";
  };
  // null: a name of the user's own, left alone; else the suggestion last filled in.
  let suggested = display.value === "" || display.value === suggestion() ? display.value : null;
  const follow = () => {
    if (suggested === null || display.value !== suggested) return;
    suggested = suggestion();
    display.value = suggested;
  };
  account.addEventListener("input", follow);
  role.addEventListener("input", follow);
  display.addEventListener("input", () => {
    suggested = display.value === "" ? "" : null;
  });
  follow();
});
// A secret shown once (the new user's console password, "Create user" step 4): drawn as text
// by the server, masked here until "Show".
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-reveal]")) {
    const secret = document.getElementById(button.dataset.reveal);
    if (!secret) continue;
    secret.type = "password";
    button.hidden = false;
    button.addEventListener("click", () => {
      const show = secret.type === "password";
      secret.type = show ? "text" : "password";
      button.textContent = show ? "Hide" : "Show";
      button.setAttribute("aria-pressed", String(show));
    });
  }
});
// Block public access: "Block all public access" ticks or clears the four settings, and is
// ticked exactly when all four are (the server reads it as all four when posted ticked).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.block-public-access");
  if (!form) return;
  const every = form.elements.namedItem("block_all");
  const settings = Array.from(form.querySelectorAll("input[data-block-setting]"));
  every.addEventListener("change", () => settings.forEach((box) => { box.checked = every.checked; }));
  settings.forEach((box) => box.addEventListener("change", () => {
    every.checked = settings.every((other) => other.checked);
  }));
});
// Upload: the files chosen with "Add files" and "Add folder", listed before Upload (the
// form sends them without this).
document.addEventListener("DOMContentLoaded", () => {
  const inputs = Array.from(document.querySelectorAll("input[data-upload-list]"));
  if (!inputs.length) return;
  const table = document.getElementById(inputs[0].dataset.uploadList);
  const body = table.querySelector("tbody");
  const draw = () => {
    body.replaceChildren();
    for (const input of inputs) {
      for (const file of Array.from(input.files || [])) {
        const path = file.webkitRelativePath || file.name;
        const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "-";
        const row = body.insertRow();
        for (const text of [file.name, folder, file.type || "-", `${file.size} B`]) {
          row.insertCell().textContent = text;
        }
      }
    }
    table.classList.toggle("is-hidden", body.rows.length === 0);
  };
  inputs.forEach((input) => input.addEventListener("change", draw));
  draw();
});
// Upload's "Additional upload options": "Add tag" and "Add metadata" copy the fieldset's
// <template> row, and a row's "Remove" takes it away, in place, so the files chosen stay
// chosen (without this, those buttons post the form, which redraws it without the files).
document.addEventListener("DOMContentLoaded", () => {
  let made = 0;
  for (const set of document.querySelectorAll("fieldset[data-rows]")) {
    const template = set.querySelector("template");
    const add = set.querySelector("button[name=action]");
    if (!template || !add) continue;
    const max = Number(set.dataset.maxRows);
    const rows = () => set.querySelectorAll(".tag-row").length;
    const refresh = () => { add.disabled = rows() >= max; };
    add.addEventListener("click", (event) => {
      event.preventDefault();
      if (rows() >= max) return;
      made += 1;
      const row = template.content.firstElementChild.cloneNode(true);
      for (const element of row.querySelectorAll("[id], label[for]")) {
        if (element.id) element.id = element.id.replace(/-new$/, `-added-${made}`);
        if (element.htmlFor) element.htmlFor = element.htmlFor.replace(/-new$/, `-added-${made}`);
      }
      const remove = row.querySelector("button");
      remove.setAttribute("aria-label", remove.getAttribute("aria-label").replace(/new$/, String(rows() + 1)));
      add.before(row);
      refresh();
      row.querySelector("input, select").focus();
    });
    set.addEventListener("click", (event) => {
      const remove = event.target.closest("button[name^=remove_]");
      if (!remove) return;
      event.preventDefault();
      remove.closest(".tag-row").remove();
      refresh();
      add.focus();
    });
    refresh();
  }
});
