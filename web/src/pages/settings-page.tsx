/**
 * Settings: who the coach is in Calendly (and "sign out everywhere"), and the state of each
 * connection in plain words.
 */
import type { Coach } from "../api";
import { ActivityList } from "../components/activity-list";
import { BookingWidgetPanel } from "../components/booking-widget-panel";
import { ConnectionsPanel } from "../components/connections-panel";
import { SignOutEverywhereButton } from "../components/sign-out-everywhere-button";
import { SyncPanel } from "../components/sync-panel";

export function SettingsPage({ coach }: { coach: Coach }) {
  return (
    <section>
      <h1>Settings</h1>
      <h2>Account</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{coach.name}</dd>
        <dt>Email</dt>
        <dd>{coach.email}</dd>
        <dt>Time zone</dt>
        <dd>{coach.timeZone}</dd>
        <dt>Calendly user</dt>
        <dd class="truncate">{coach.calendlyUserUri}</dd>
      </dl>
      <p class="muted">
        Signed in on a computer you no longer use? Sign out of Kairos on every browser at once.
      </p>
      <SignOutEverywhereButton />
      <h2>Connections</h2>
      <ConnectionsPanel />
      <h2>Booking widget</h2>
      <BookingWidgetPanel slugNotice={coach.slugNotice} />
      <h2>Sync</h2>
      <SyncPanel />
      <h2>Recent activity</h2>
      <ActivityList />
    </section>
  );
}
