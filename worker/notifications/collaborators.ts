/**
 * The pipeline's collaborators, in one place: the renderer (render/, the content side: the coach's
 * templates, HTML + text, the .ics) and the delivery checks (./preferences: preferences,
 * suppression, one-click unsubscribe headers).
 */
export { deliveryBlock, unsubscribeHeaders } from "./preferences";
export { renderMessage } from "./render";
