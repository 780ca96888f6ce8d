package io.keepsake.postgres;

import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import io.keepsake.testkit.StoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The whole Store contract against a real PostgreSQL, each test on a fresh table of a store opened by URI. */
class PostgresUriStoreContractTest extends StoreContract {
    private final List<String> tables = new ArrayList<>(); // JUnit thread only
    private String table;

    @Override
    protected Store createStore() {
        table = PostgresTestServer.uniqueTable();
        tables.add(table);
        return Stores.open("postgresql://postgres@127.0.0.1:5432/test?poolSize=4&table=" + table);
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return Stores.open("postgres://127.0.0.1/test?user=postgres&poolSize=2&createTable=false&table=" + table);
    }

    @AfterEach
    void dropTables() {
        tables.forEach(PostgresTestServer::dropTable);
    }
}
