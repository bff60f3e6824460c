/** The booking page entry (/book/:coach/:eventType? and /manage/:token): its own small bundle. */
import { render } from "preact";
import { BookingFlow } from "./booking-flow";
import { emit, reportHeight } from "./embed";
import { ManageBooking } from "./manage";
import "./book.css";

const [, section, first = "", second] = location.pathname.split("/").map(decodeURIComponent);
const root = document.getElementById("book") as HTMLElement;
const theme = new URLSearchParams(location.search).get("theme");
if (theme === "dark") document.documentElement.dataset.theme = "dark";

render(
  section === "manage" ? (
    <ManageBooking token={first} />
  ) : (
    <BookingFlow coachSlug={first} typeSlug={second || undefined} />
  ),
  root,
);
reportHeight();
emit("ready");
