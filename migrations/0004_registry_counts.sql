CREATE TABLE "registry_counts" (
	"commune_id" uuid NOT NULL,
	"hamlet_key" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "registry_counts_commune_id_hamlet_key_subject_type_pk" PRIMARY KEY("commune_id","hamlet_key","subject_type")
);
--> statement-breakpoint
-- registry_counts: the report denominators, maintained by the database itself so every writer
-- (API, imports, seeds, psql) keeps them right and a dashboard never scans the registry.
-- hamlet_key is the hamlet, or the nil uuid for subjects without one (a commune-level unit).
CREATE OR REPLACE FUNCTION registry_bump(c uuid, h uuid, t text, d integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF c IS NULL OR d = 0 THEN RETURN; END IF;
  INSERT INTO registry_counts (commune_id, hamlet_key, subject_type, n)
  VALUES (c, coalesce(h, '00000000-0000-0000-0000-000000000000'::uuid), t, d)
  ON CONFLICT (commune_id, hamlet_key, subject_type) DO UPDATE SET n = registry_counts.n + excluded.n;
END $$;
--> statement-breakpoint
-- Where a person counts as a citizen: their household's hamlet; staff without a household, their
-- unit's hamlet in the person's commune; anyone else nowhere.
CREATE OR REPLACE FUNCTION registry_person_place(p_household uuid, p_unit uuid, p_commune uuid, OUT c uuid, OUT h uuid)
LANGUAGE plpgsql AS $$
BEGIN
  IF p_household IS NOT NULL THEN
    SELECT x.commune_id, x.hamlet_id INTO c, h FROM households x WHERE x.id = p_household;
  ELSIF p_unit IS NOT NULL THEN
    SELECT p_commune, u.hamlet_id INTO c, h FROM units u WHERE u.id = p_unit;
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION registry_households_trg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE members integer;
BEGIN
  IF tg_op = 'UPDATE' AND old.commune_id = new.commune_id AND old.hamlet_id = new.hamlet_id THEN RETURN NULL; END IF;
  SELECT count(*) INTO members FROM persons WHERE household_id = coalesce(new.id, old.id);
  IF tg_op IN ('UPDATE', 'DELETE') THEN
    PERFORM registry_bump(old.commune_id, old.hamlet_id, 'household', -1);
    PERFORM registry_bump(old.commune_id, old.hamlet_id, 'citizen', -members);
  END IF;
  IF tg_op IN ('UPDATE', 'INSERT') THEN
    PERFORM registry_bump(new.commune_id, new.hamlet_id, 'household', 1);
    PERFORM registry_bump(new.commune_id, new.hamlet_id, 'citizen', members);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER registry_households AFTER INSERT OR DELETE OR UPDATE OF commune_id, hamlet_id ON households
FOR EACH ROW EXECUTE FUNCTION registry_households_trg();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION registry_clans_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN PERFORM registry_bump(old.commune_id, old.hamlet_id, 'clan', -1); END IF;
  IF tg_op IN ('UPDATE', 'INSERT') THEN PERFORM registry_bump(new.commune_id, new.hamlet_id, 'clan', 1); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER registry_clans AFTER INSERT OR DELETE OR UPDATE OF commune_id, hamlet_id ON clans
FOR EACH ROW EXECUTE FUNCTION registry_clans_trg();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION registry_units_trg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN PERFORM registry_bump(old.commune_id, old.hamlet_id, 'unit', -1); END IF;
  IF tg_op IN ('UPDATE', 'INSERT') THEN PERFORM registry_bump(new.commune_id, new.hamlet_id, 'unit', 1); END IF;
  -- Staff without a household count in the unit's hamlet: they move with it.
  FOR r IN SELECT p.commune_id, count(*)::int AS n FROM persons p
           WHERE p.unit_id = coalesce(new.id, old.id) AND p.household_id IS NULL GROUP BY p.commune_id LOOP
    IF tg_op IN ('UPDATE', 'DELETE') THEN PERFORM registry_bump(r.commune_id, old.hamlet_id, 'citizen', -r.n); END IF;
    IF tg_op IN ('UPDATE', 'INSERT') THEN PERFORM registry_bump(r.commune_id, new.hamlet_id, 'citizen', r.n); END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER registry_units AFTER INSERT OR DELETE OR UPDATE OF commune_id, hamlet_id ON units
FOR EACH ROW EXECUTE FUNCTION registry_units_trg();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION registry_persons_trg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o record; n record;
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN
    SELECT * INTO o FROM registry_person_place(old.household_id, old.unit_id, old.commune_id);
    PERFORM registry_bump(o.c, o.h, 'citizen', -1);
  END IF;
  IF tg_op IN ('UPDATE', 'INSERT') THEN
    SELECT * INTO n FROM registry_person_place(new.household_id, new.unit_id, new.commune_id);
    PERFORM registry_bump(n.c, n.h, 'citizen', 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER registry_persons AFTER INSERT OR DELETE OR UPDATE OF household_id, unit_id, commune_id ON persons
FOR EACH ROW EXECUTE FUNCTION registry_persons_trg();
--> statement-breakpoint
-- The counts of the rows already there.
INSERT INTO registry_counts (commune_id, hamlet_key, subject_type, n)
SELECT commune_id, coalesce(hamlet_id, '00000000-0000-0000-0000-000000000000'::uuid), subject_type, sum(n)::int FROM (
  SELECT commune_id, hamlet_id, 'household' AS subject_type, count(*) AS n FROM households GROUP BY 1, 2
  UNION ALL SELECT commune_id, hamlet_id, 'clan', count(*) FROM clans GROUP BY 1, 2
  UNION ALL SELECT commune_id, hamlet_id, 'unit', count(*) FROM units GROUP BY 1, 2
  UNION ALL SELECT h.commune_id, h.hamlet_id, 'citizen', count(*) FROM persons p JOIN households h ON h.id = p.household_id GROUP BY 1, 2
  UNION ALL SELECT p.commune_id, u.hamlet_id, 'citizen', count(*) FROM persons p JOIN units u ON u.id = p.unit_id
    WHERE p.household_id IS NULL GROUP BY 1, 2
) x GROUP BY 1, 2, 3;
