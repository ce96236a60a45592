-- A building's generations: `master` moves whenever its meters, flats or personal accounts
-- change (these triggers, so every writer counts, present and future); `consumption` moves
-- when the rollup re-sums its days (storage does it). A page computed from a building keeps
-- its figures while both stay the same; every server process reads them from here.
CREATE TABLE object_generations (
    object_id BIGINT PRIMARY KEY,
    master BIGINT NOT NULL DEFAULT 0,
    consumption BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION bump_object_master(o BIGINT) RETURNS void AS $$
    INSERT INTO object_generations (object_id, master) VALUES (o, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = object_generations.master + 1;
$$ LANGUAGE sql;

-- meters and premises carry their building
CREATE FUNCTION object_row_generation() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM bump_object_master(OLD.object_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM bump_object_master(NEW.object_id); END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- an account's building is its premise's
CREATE FUNCTION account_generation() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM bump_object_master(object_id) FROM premises WHERE id = OLD.premise_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM bump_object_master(object_id) FROM premises WHERE id = NEW.premise_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- last_contact_at is not among the columns: a meter heard from is not a changed meter
CREATE TRIGGER meters_generation AFTER INSERT OR DELETE OR UPDATE OF object_id, premise_id,
    placement, resource, model, serial, tariffs, digits_integer, digits_fraction, multiplier,
    state, replaces_meter_id ON meters FOR EACH ROW EXECUTE FUNCTION object_row_generation();
CREATE TRIGGER premises_generation AFTER INSERT OR DELETE OR UPDATE ON premises
    FOR EACH ROW EXECUTE FUNCTION object_row_generation();
CREATE TRIGGER accounts_generation AFTER INSERT OR DELETE OR UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION account_generation();
