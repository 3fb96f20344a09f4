package io.vpcanary.lab;

import java.net.InetAddress;

/**
 * A resolver view of the lab: what DNS answers for a client in one place. Each VPC of the estate is a view
 * (named after the VPC), and {@code on-premises} is the view outside every VPC.
 *
 * @param name       the view name: the VPC's name or {@code on-premises}
 * @param vpcId      the VPC id, or null on premises
 * @param region     the VPC's region, or null on premises
 * @param privateDns whether an execute-api endpoint in this VPC has private DNS enabled
 * @param resolver   address of this view's DNS server (it listens on the lab's DNS port, UDP and TCP)
 */
public record LabView(String name, String vpcId, String region, boolean privateDns, InetAddress resolver) {

    public boolean onPremises() {
        return vpcId == null;
    }
}
