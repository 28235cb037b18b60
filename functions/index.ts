// The Functions host loads this one bundle (package.json "main"); each import registers its functions.
import './vmChanged.js';
import './evaluateCoalesced.js';
import './findingsApi.js';
import './exemptionsApi.js';
import './dashboard.js';
import './sweepProtected.js';
import './deliverAlerts.js';
import './sweepWorker.js';
import './purgeExpired.js';
