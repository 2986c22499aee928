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
