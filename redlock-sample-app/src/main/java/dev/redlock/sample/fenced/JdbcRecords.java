package dev.redlock.sample.fenced;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Records in a SQL table with a {@code fence} column: the fenced write is one conditional
 * {@code UPDATE ... WHERE fence < :token}, so the database itself refuses a stale writer. The
 * sample runs it on an in-memory H2 database; the statement is plain SQL for any other.
 */
class JdbcRecords implements Records {

	private final JdbcTemplate jdbc;

	JdbcRecords(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS record (id VARCHAR(200) PRIMARY KEY, "
				+ "val VARCHAR(1000), fence BIGINT NOT NULL DEFAULT 0)");
	}

	/** An in-memory H2 database that lives as long as the application. */
	static JdbcRecords inMemory() {
		return new JdbcRecords(new DriverManagerDataSource("jdbc:h2:mem:fenced-records;DB_CLOSE_DELAY=-1"));
	}

	@Override
	public boolean write(String id, String value, long token) {
		ensure(id);
		return this.jdbc.update("UPDATE record SET val = ?, fence = ? WHERE id = ? AND fence < ?", value, token, id,
				token) == 1;
	}

	@Override
	public void writeUnfenced(String id, String value) {
		ensure(id);
		this.jdbc.update("UPDATE record SET val = ? WHERE id = ?", value, id);
	}

	@Override
	public Record read(String id) {
		List<Record> found = this.jdbc.query("SELECT id, val, fence FROM record WHERE id = ?",
				(row, i) -> new Record(row.getString("id"), row.getString("val"), row.getLong("fence")), id);
		return found.isEmpty() ? new Record(id, null, 0) : found.get(0);
	}

	private void ensure(String id) {
		this.jdbc.update("MERGE INTO record (id) KEY (id) VALUES (?)", id);
	}

}
