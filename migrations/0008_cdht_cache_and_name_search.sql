CREATE TABLE "cdht_cache" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"version" text NOT NULL,
	"rows" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdht_stamps" (
	"commune_id" uuid PRIMARY KEY NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "head_name_fold" text GENERATED ALWAYS AS (translate(head_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', 'abcdefghijklmnopqrstuvwxyzaaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy')) STORED;--> statement-breakpoint
CREATE INDEX "households_commune_name_idx" ON "households" USING btree ("commune_id","head_name","id");--> statement-breakpoint
-- cdht_stamps: every write that can move a commune's CDHT figures gives the commune a new version
-- (the writing transaction's id: unique, so a cached figure computed before it never matches
-- again); cdht_cache rows are valid only while their version equals it. Triggers, so every
-- writer (API, imports, erasure, seeds, psql) invalidates.
CREATE OR REPLACE FUNCTION cdht_touch(c uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF c IS NULL THEN RETURN; END IF;
  INSERT INTO cdht_stamps (commune_id, version) VALUES (c, pg_current_xact_id()::text)
  ON CONFLICT (commune_id) DO UPDATE SET version = excluded.version
  WHERE cdht_stamps.version IS DISTINCT FROM excluded.version;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cdht_touch_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN PERFORM cdht_touch(old.commune_id); END IF;
  IF tg_op IN ('UPDATE', 'INSERT') AND (tg_op = 'INSERT' OR new.commune_id IS DISTINCT FROM old.commune_id) THEN
    PERFORM cdht_touch(new.commune_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cdht_persons AFTER INSERT OR DELETE OR UPDATE OF commune_id, household_id, unit_id, is_worker ON persons
FOR EACH ROW EXECUTE FUNCTION cdht_touch_trg();
--> statement-breakpoint
CREATE TRIGGER cdht_households AFTER DELETE OR UPDATE OF commune_id, hamlet_id, clan_id ON households
FOR EACH ROW EXECUTE FUNCTION cdht_touch_trg();
--> statement-breakpoint
CREATE TRIGGER cdht_units AFTER DELETE OR UPDATE OF commune_id, hamlet_id ON units
FOR EACH ROW EXECUTE FUNCTION cdht_touch_trg();
--> statement-breakpoint
CREATE TRIGGER cdht_assessments_insert AFTER INSERT ON assessments
FOR EACH ROW WHEN (new.state = 'recognised') EXECUTE FUNCTION cdht_touch_trg();
--> statement-breakpoint
CREATE TRIGGER cdht_assessments_update AFTER UPDATE OF state ON assessments
FOR EACH ROW WHEN (old.state IS DISTINCT FROM new.state AND (old.state = 'recognised' OR new.state = 'recognised'))
EXECUTE FUNCTION cdht_touch_trg();
--> statement-breakpoint
CREATE TRIGGER cdht_assessments_delete AFTER DELETE ON assessments
FOR EACH ROW WHEN (old.state = 'recognised') EXECUTE FUNCTION cdht_touch_trg();
