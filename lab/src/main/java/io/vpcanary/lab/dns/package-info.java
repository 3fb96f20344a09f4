/**
 * The lab's DNS: {@link io.vpcanary.lab.dns.LabDnsViews} says what each resolver view answers for a name,
 * {@link io.vpcanary.lab.dns.LabDnsServer} serves it over UDP and TCP on every view's resolver address, and
 * {@link io.vpcanary.lab.dns.LabDnsTable} renders the name × view table of {@code docs/lab.md}.
 */
package io.vpcanary.lab.dns;
