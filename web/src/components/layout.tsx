/** The signed-in frame: header with the coach and sign-out, navigation, and the page. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../api";
import { clearRequestCache } from "../use-request";
import { Toasts } from "./toasts";

const NAV = [
  { href: "/", label: "Event types" },
  { href: "/sessions", label: "Sessions" },
  { href: "/clients", label: "Clients" },
  { href: "/availability", label: "Availability" },
  { href: "/analytics", label: "Analytics" },
  { href: "/settings", label: "Settings" },
];

export function Layout({
  coachName,
  children,
}: {
  coachName: string;
  children: ComponentChildren;
}) {
  const { path, route } = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    await api.logout.$post().catch(() => undefined);
    clearRequestCache();
    route("/signin");
  };
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/">
          Kairos
        </a>
        <span class="who">{coachName}</span>
        <button type="button" class="link" onClick={signOut} disabled={signingOut}>
          {signingOut ? "Signing out…" : "Sign out"}
        </button>
      </header>
      <nav class="nav" aria-label="Main">
        {NAV.map((item) => (
          <a
            key={item.href}
            href={item.href}
            aria-current={path === item.href ? "page" : undefined}
          >
            {item.label}
          </a>
        ))}
      </nav>
      <main class="page">{children}</main>
      <Toasts />
    </div>
  );
}
