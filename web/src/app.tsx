/**
 * The dashboard: the sign-in page, or (once /api/me answers) the signed-in layout and its pages.
 * Links to server paths (OAuth, sandbox, API docs) are left to the browser, not the SPA router.
 */
import { LocationProvider, Route, Router, useLocation } from "preact-iso";
import { api } from "./api";
import { ErrorNotice, Spinner } from "./components/feedback";
import { Layout } from "./components/layout";
import { ReconnectBanner } from "./components/reconnect-banner";
import { SandboxBanner } from "./components/sandbox-banner";
import { AvailabilityPage } from "./pages/availability-page";
import { ClientPage } from "./pages/client-page";
import { ClientsPage } from "./pages/clients-page";
import { ComingSoonPage } from "./pages/coming-soon-page";
import { EventTypesPage } from "./pages/event-types-page";
import { SessionPage } from "./pages/session-page";
import { SessionsPage } from "./pages/sessions-page";
import { SettingsPage } from "./pages/settings-page";
import { SignInPage } from "./pages/sign-in-page";
import { useRequest } from "./use-request";

const SPA_LINKS = /^\/(?!oauth\/|sandbox|api\/|openapi\.json|admin\/api)/;

function SignedIn() {
  const me = useRequest(() => api.me.$get(), []);
  if (me.state === "loading") return <Spinner label="Loading your account…" />;
  if (me.state === "error") return <ErrorNotice error={me.error} onRetry={me.retry} />;
  const coach = me.data;
  return (
    <Layout coachName={coach.name}>
      <ReconnectBanner connections={coach.connections} />
      <Router>
        <Route
          path="/"
          component={() => (
            <EventTypesPage
              zoomConnected={coach.connections.some(
                (c) => c.provider === "zoom" && c.status !== "disconnected",
              )}
            />
          )}
        />
        <Route path="/sessions" component={() => <SessionsPage timeZone={coach.timeZone} />} />
        <Route
          path="/sessions/:id"
          component={({ id }: { id: string }) => <SessionPage id={id} timeZone={coach.timeZone} />}
        />
        <Route path="/clients" component={() => <ClientsPage timeZone={coach.timeZone} />} />
        <Route
          path="/clients/:email"
          component={({ email }: { email: string }) => (
            <ClientPage email={email} timeZone={coach.timeZone} />
          )}
        />
        <Route path="/availability" component={AvailabilityPage} />
        <Route
          path="/analytics"
          component={() => (
            <ComingSoonPage
              title="Analytics"
              description="Bookings, cancellations, no-shows and utilisation over time will appear here."
            />
          )}
        />
        <Route path="/settings" component={() => <SettingsPage coach={coach} />} />
        <Route
          default
          component={() => (
            <ComingSoonPage title="Not found" description="There is no page at this address." />
          )}
        />
      </Router>
    </Layout>
  );
}

function Screens() {
  const { path } = useLocation();
  return path === "/signin" ? <SignInPage /> : <SignedIn />;
}

export function App() {
  return (
    <LocationProvider scope={SPA_LINKS}>
      <SandboxBanner />
      <Screens />
    </LocationProvider>
  );
}
