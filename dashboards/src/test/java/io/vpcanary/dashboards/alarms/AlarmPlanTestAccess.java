package io.vpcanary.dashboards.alarms;

import io.vpcanary.estate.Estate;

/** The estates of {@link AlarmPlanTest} for tests of other packages. */
public final class AlarmPlanTestAccess {

    private AlarmPlanTestAccess() {
    }

    /** The demo with records asking for each kind of health check ({@link AlarmPlanTest#recordHealthChecks}). */
    public static Estate recordHealthChecks() throws Exception {
        return AlarmPlanTest.demoWith(AlarmPlanTest::recordHealthChecks);
    }
}
