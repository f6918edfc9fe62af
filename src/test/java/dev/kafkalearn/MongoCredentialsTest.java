package dev.kafkalearn;

import com.mongodb.MongoCredential;
import dev.kafkalearn.settings.MongoConnection;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MONGO_USERNAME/MONGO_PASSWORD: a password with every character a URI or a quoted bean argument trips over reaches
 * the driver unchanged, through application.properties' own beans (no server needed: the credential is only sent
 * when connecting).
 */
class MongoCredentialsTest {

    @Test
    void aPasswordWithUriAndQuoteCharactersReachesTheDriverAsItIs() throws Exception {
        String password = "p@ss:w/rd%2C,]'\"$x";
        Main main = new Main();
        main.addOverrideProperty("camel.main.routesIncludePattern", "file:routes/commands/topics.camel.yaml");
        main.addOverrideProperty("management.enabled", "false");
        main.addOverrideProperty("camel.main.autoStartup", "false");
        main.addOverrideProperty("mongo.uri", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100");
        main.addOverrideProperty("mongo.username", "pipeline");
        main.addOverrideProperty("mongo.password", password);
        main.start();
        try {
            MongoConnection connection = main.getCamelContext().getRegistry().lookupByNameAndType("mongoConnection",
                    MongoConnection.class);
            MongoCredential credential = connection.settings().build().getCredential();
            assertEquals("pipeline", credential.getUserName());
            assertEquals("admin", credential.getSource());
            assertEquals(password, new String(credential.getPassword()));
        } finally {
            main.stop();
        }
    }
}
