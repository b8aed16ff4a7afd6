DROP INDEX `entries_subject`;--> statement-breakpoint
CREATE INDEX `entries_subject_seq` ON `entries` (`relationship_id`,`subject_seq`,`seq`);--> statement-breakpoint
CREATE INDEX `entries_type_seq` ON `entries` (`relationship_id`,`type`,`seq`);