// Progressive enhancement only: every form works without this file.
"use strict";
document.addEventListener("click", (event) => {
  // Close the account menu when clicking elsewhere.
  const menu = document.querySelector("details.account-menu[open]");
  if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
});
