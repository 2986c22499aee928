"""Authorization: the one place requests are allowed or denied (operation → action,
resource and condition keys; the policies that apply; the policy engine's decision)."""
