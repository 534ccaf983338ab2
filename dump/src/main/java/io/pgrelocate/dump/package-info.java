/** The dump module's API: the point-in-time engine and the database copier the continuous engine reuses. */
package io.pgrelocate.dump;
