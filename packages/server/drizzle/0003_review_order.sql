DROP INDEX `relationships_supplier_review`;--> statement-breakpoint
DROP INDEX `relationships_client_review`;--> statement-breakpoint
ALTER TABLE `relationships` ADD `supplier_tier` integer;--> statement-breakpoint
ALTER TABLE `relationships` ADD `client_tier` integer;--> statement-breakpoint
CREATE INDEX `relationships_supplier_review_desc` ON `relationships` (`supplier_id`,"client_tier" desc,`client_score`,"id" desc);--> statement-breakpoint
CREATE INDEX `relationships_client_review_desc` ON `relationships` (`client_id`,"supplier_tier" desc,`supplier_score`,"id" desc);--> statement-breakpoint
CREATE INDEX `relationships_supplier_scored` ON `relationships` (`supplier_id`,`scored_at`);--> statement-breakpoint
CREATE INDEX `relationships_client_scored` ON `relationships` (`client_id`,`scored_at`);--> statement-breakpoint
CREATE INDEX `relationships_supplier_review` ON `relationships` (`supplier_id`,`client_tier`,`client_score`,`id`);--> statement-breakpoint
CREATE INDEX `relationships_client_review` ON `relationships` (`client_id`,`supplier_tier`,`supplier_score`,`id`);--> statement-breakpoint
UPDATE `relationships` SET `scored_at` = NULL;