-- A building's generations: `master` moves whenever its meters, flats or personal accounts
-- change (these triggers, so every writer counts, present and future); `consumption` moves
-- when the rollup re-sums its days (storage does it). A page computed from a building keeps
-- its figures while both stay the same; every server process reads them from here.
CREATE TABLE object_generations (
    object_id INTEGER PRIMARY KEY,
    master INTEGER NOT NULL DEFAULT 0,
    consumption INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER meters_generation_insert AFTER INSERT ON meters BEGIN
    INSERT INTO object_generations (object_id, master) VALUES (NEW.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
-- last_contact_at is not among the columns: a meter heard from is not a changed meter
CREATE TRIGGER meters_generation_update AFTER UPDATE OF object_id, premise_id, placement,
    resource, model, serial, tariffs, digits_integer, digits_fraction, multiplier, state,
    replaces_meter_id ON meters BEGIN
    INSERT INTO object_generations (object_id, master) VALUES (OLD.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
    INSERT INTO object_generations (object_id, master) VALUES (NEW.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
CREATE TRIGGER meters_generation_delete AFTER DELETE ON meters BEGIN
    INSERT INTO object_generations (object_id, master) VALUES (OLD.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;

CREATE TRIGGER premises_generation_insert AFTER INSERT ON premises BEGIN
    INSERT INTO object_generations (object_id, master) VALUES (NEW.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
CREATE TRIGGER premises_generation_update AFTER UPDATE ON premises BEGIN
    INSERT INTO object_generations (object_id, master) VALUES (OLD.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
    INSERT INTO object_generations (object_id, master) VALUES (NEW.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
CREATE TRIGGER premises_generation_delete AFTER DELETE ON premises BEGIN
    INSERT INTO object_generations (object_id, master) VALUES (OLD.object_id, 1)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;

CREATE TRIGGER accounts_generation_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO object_generations (object_id, master)
        SELECT object_id, 1 FROM premises WHERE id = NEW.premise_id
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
CREATE TRIGGER accounts_generation_update AFTER UPDATE ON accounts BEGIN
    INSERT INTO object_generations (object_id, master)
        SELECT object_id, 1 FROM premises WHERE id IN (OLD.premise_id, NEW.premise_id)
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
CREATE TRIGGER accounts_generation_delete AFTER DELETE ON accounts BEGIN
    INSERT INTO object_generations (object_id, master)
        SELECT object_id, 1 FROM premises WHERE id = OLD.premise_id
        ON CONFLICT (object_id) DO UPDATE SET master = master + 1;
END;
