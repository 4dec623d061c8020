-- 014: the technician search compares cities as lower(city) = lower(?),
-- which both stores read alike; the index follows the expression.
DROP INDEX technician_city;
CREATE INDEX technician_city ON technician(lower(city));
