CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"firm_id" text NOT NULL,
	"role" text NOT NULL,
	"secret_hash" text NOT NULL,
	"label" text,
	"created_at" text NOT NULL,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"payload" text NOT NULL,
	"actor_firm_id" text NOT NULL,
	"occurred_at" text NOT NULL,
	"recorded_at" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"subject_seq" integer,
	"voided_by_seq" integer,
	"disputed_by_seq" integer,
	"confirmed_by_seq" integer,
	CONSTRAINT "entries_relationship_id_seq_pk" PRIMARY KEY("relationship_id","seq")
);
--> statement-breakpoint
CREATE TABLE "firms" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"title" text NOT NULL,
	"proposed_by" text NOT NULL,
	"status" text NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	CONSTRAINT "goals_relationship_id_seq_pk" PRIMARY KEY("relationship_id","seq")
);
--> statement-breakpoint
CREATE TABLE "idempotency" (
	"firm_id" text NOT NULL,
	"key" text NOT NULL,
	"mutation" text NOT NULL,
	"request_hash" text NOT NULL,
	"result" text NOT NULL,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	CONSTRAINT "idempotency_firm_id_key_pk" PRIMARY KEY("firm_id","key")
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"initiated_by" text NOT NULL,
	"occurred_at" text NOT NULL,
	"note" text,
	"volume" double precision,
	"score" integer,
	"first_response_at" text,
	"resolved_at" text,
	"voided" boolean DEFAULT false NOT NULL,
	CONSTRAINT "interactions_relationship_id_seq_pk" PRIMARY KEY("relationship_id","seq")
);
--> statement-breakpoint
CREATE TABLE "measurements" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"metric_seq" integer NOT NULL,
	"metric_idx" integer NOT NULL,
	"value" double precision NOT NULL,
	"observed_at" text NOT NULL,
	"recorded_by" text NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	CONSTRAINT "measurements_relationship_id_seq_pk" PRIMARY KEY("relationship_id","seq")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"idx" integer NOT NULL,
	"goal_seq" integer NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"target" double precision NOT NULL,
	"baseline" double precision,
	"accountable" text NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	CONSTRAINT "metrics_relationship_id_seq_idx_pk" PRIMARY KEY("relationship_id","seq","idx")
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"proposed_by" text NOT NULL,
	"policy" text NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "policies_relationship_id_seq_pk" PRIMARY KEY("relationship_id","seq")
);
--> statement-breakpoint
CREATE TABLE "promises" (
	"relationship_id" text NOT NULL,
	"seq" integer NOT NULL,
	"promisor" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"amount" double precision,
	"currency" text,
	"made_at" text NOT NULL,
	"original_due_at" text NOT NULL,
	"due_at" text NOT NULL,
	"state" text NOT NULL,
	"outcome" text,
	"resolved_at" text,
	"voided" boolean DEFAULT false NOT NULL,
	CONSTRAINT "promises_relationship_id_seq_pk" PRIMARY KEY("relationship_id","seq")
);
--> statement-breakpoint
CREATE TABLE "relationships" (
	"id" text PRIMARY KEY NOT NULL,
	"supplier_id" text NOT NULL,
	"client_id" text NOT NULL,
	"proposed_by" text NOT NULL,
	"status" text NOT NULL,
	"head_seq" integer NOT NULL,
	"head_hash" text NOT NULL,
	"max_occurred_at" text NOT NULL,
	"score_state" text NOT NULL,
	"created_at" text NOT NULL,
	"scored_at" text,
	"supplier_score" double precision,
	"supplier_band" text,
	"client_score" double precision,
	"client_band" text,
	"churn_stage" text
);
--> statement-breakpoint
CREATE TABLE "representatives" (
	"relationship_id" text NOT NULL,
	"side" text NOT NULL,
	"name" text NOT NULL,
	"since" text NOT NULL,
	"seq" integer NOT NULL,
	CONSTRAINT "representatives_relationship_id_side_pk" PRIMARY KEY("relationship_id","side")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_relationship_id_relationships_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."relationships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_supplier_id_firms_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."firms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_client_id_firms_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."firms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_firm" ON "api_keys" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "entries_subject_seq" ON "entries" USING btree ("relationship_id","subject_seq","seq");--> statement-breakpoint
CREATE INDEX "entries_type_seq" ON "entries" USING btree ("relationship_id","type","seq");--> statement-breakpoint
CREATE INDEX "measurements_metric" ON "measurements" USING btree ("relationship_id","metric_seq","metric_idx");--> statement-breakpoint
CREATE INDEX "metrics_goal" ON "metrics" USING btree ("relationship_id","goal_seq");--> statement-breakpoint
CREATE INDEX "promises_open_due" ON "promises" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "relationships_supplier" ON "relationships" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "relationships_client" ON "relationships" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "relationships_supplier_review" ON "relationships" USING btree ("supplier_id","client_score","id");--> statement-breakpoint
CREATE INDEX "relationships_client_review" ON "relationships" USING btree ("client_id","supplier_score","id");