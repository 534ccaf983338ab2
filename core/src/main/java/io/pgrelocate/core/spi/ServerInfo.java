package io.pgrelocate.core.spi;

/**
 * What a server is: version, identity and the settings a migration cares about.
 *
 * @param versionNum       {@code server_version_num}, such as 170005
 * @param systemIdentifier the cluster's system identifier (stable across restarts, differs per cluster)
 * @param superuser        whether the connected role is a superuser
 */
public record ServerInfo(int versionNum, String version, String systemIdentifier, String currentUser,
                         boolean superuser, String walLevel) {
    public int major() {
        return versionNum / 10000;
    }

    public boolean atLeast(int major) {
        return major() >= major;
    }
}
