// Runs Solr 9 in one JVM on loopback through its embedded Jetty runner (solr-test-framework),
// serving every core found under the given Solr home. Stops cleanly on SIGTERM.
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public final class SolrRunner {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SolrRunner SOLR_HOME PORT");
      System.exit(2);
    }
    JettyConfig config = JettyConfig.builder()
        .setPort(Integer.parseInt(args[1]))
        .setContext("/solr")
        .stopAtShutdown(true)
        .build();
    JettySolrRunner solr = new JettySolrRunner(args[0], config);
    solr.start();
    System.out.println("Solr is serving " + solr.getBaseUrl());
    Thread.currentThread().join();
  }
}
