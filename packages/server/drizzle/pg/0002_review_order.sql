DROP INDEX "relationships_supplier_review";--> statement-breakpoint
DROP INDEX "relationships_client_review";--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "supplier_tier" integer;--> statement-breakpoint
ALTER TABLE "relationships" ADD COLUMN "client_tier" integer;--> statement-breakpoint
CREATE INDEX "relationships_supplier_review_desc" ON "relationships" USING btree ("supplier_id","client_tier" DESC NULLS LAST,"client_score","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "relationships_client_review_desc" ON "relationships" USING btree ("client_id","supplier_tier" DESC NULLS LAST,"supplier_score","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "relationships_supplier_scored" ON "relationships" USING btree ("supplier_id","scored_at");--> statement-breakpoint
CREATE INDEX "relationships_client_scored" ON "relationships" USING btree ("client_id","scored_at");--> statement-breakpoint
CREATE INDEX "relationships_supplier_review" ON "relationships" USING btree ("supplier_id","client_tier","client_score","id");--> statement-breakpoint
CREATE INDEX "relationships_client_review" ON "relationships" USING btree ("client_id","supplier_tier","supplier_score","id");--> statement-breakpoint
UPDATE "relationships" SET "scored_at" = NULL;