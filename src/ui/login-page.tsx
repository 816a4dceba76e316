import { type Flash, FlashMessage, Layout } from "./layout.js";

/** Sign in with the token from `airlock token create`; it is sent once and never kept in the browser. */
export function LoginPage(props: { flash?: Flash; next?: string }) {
  return (
    <Layout title="Sign in">
      <div class="login card">
        <h1>Sign in</h1>
        <p class="sub">Approvers and admins sign in with their airlock token. Agents cannot sign in here.</p>
        <FlashMessage flash={props.flash} />
        <form method="post" action="/login">
          <label for="token">Token</label>
          <input id="token" name="token" type="password" autocomplete="off" required placeholder="alk_…" />
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <button class="primary" type="submit">
            Sign in
          </button>
        </form>
      </div>
    </Layout>
  );
}
