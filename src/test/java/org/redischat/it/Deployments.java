package org.redischat.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The built WAR, as Maven packaged it: tests deploy exactly what users deploy. */
final class Deployments {

    private Deployments() {
    }

    static WebArchive builtWar() {
        File war = new File(System.getProperty("it.war", "target/chat.war"));
        return ShrinkWrap.create(ZipImporter.class, "chat.war").importFrom(war).as(WebArchive.class);
    }
}
