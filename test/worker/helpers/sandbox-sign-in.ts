/** Signs in through the real sandbox Calendly (authorize with `sandbox_user`, token, users/me). */
import { exports } from "cloudflare:workers";
import { callback, startSignIn } from "./sign-in";

export async function sandboxSignIn(email: string) {
  const { jar, authorize } = await startSignIn();
  authorize.searchParams.set("sandbox_user", email);
  const approved = await exports.default.fetch(authorize.toString(), { redirect: "manual" });
  if (approved.status !== 302)
    throw new Error(`authorize answered ${approved.status}: ${await approved.text()}`);
  const back = new URL(approved.headers.get("location") ?? "");
  const res = await callback(jar, Object.fromEntries(back.searchParams));
  return { jar, res };
}
