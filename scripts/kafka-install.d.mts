export declare const KAFKA_VERSION: string;
/** The installed broker's folder (.tools/kafka): libs/ holds the jars. */
export declare const kafkaHome: string;
export interface KafkaInstall {
  home: string;
  /** For `java -cp`: the libs folder with a `*` (Java expands it). */
  classpath: string;
  version: string;
}
/** The `java` to run the broker with ($JAVA_HOME/bin/java, else PATH), or undefined. */
export declare function findJava(): string | undefined;
/** Where the broker is now, without installing anything. */
export declare function findKafka(): KafkaInstall | undefined;
/** Installs the broker when needed; throws one clear message when it cannot. */
export declare function ensureKafka(options?: { quiet?: boolean }): KafkaInstall;
