CREATE TABLE `form_token_uses` (
	`nonce` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `form_token_uses_expires` ON `form_token_uses` (`expires_at`);